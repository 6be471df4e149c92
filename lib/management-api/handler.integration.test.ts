import { generateKeyPairSync, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { calculateJwkThumbprint } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { createApiToken } from "@/lib/api-tokens/api-tokens";
import { listClients } from "@/lib/data/client-credentials";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { findUserByEmail } from "@/lib/data/users";
import { captureLogs } from "@/lib/log/testing";
import { NUL_MESSAGE } from "@/lib/text-field";
import { type ApiTestState, seededApiDatabase } from "./testing";

/*
 * The management API's edges, on a real database: bad input is a 4xx that says what was wrong,
 * and whatever else fails is logged by class and SQLSTATE, never with a query's parameters.
 */
const state = vi.hoisted((): ApiTestState => ({ db: null, handle: null, keyRing: null }));
vi.mock("@/lib/data/database", () => ({ getDb: async () => state.db, getDatabaseHandle: async () => state.handle }));
vi.mock("@/lib/crypto/key-ring-loader", () => ({ loadKeyRing: () => state.keyRing }));

const { managementRoute } = await import("./handler");
const {
  listClientsEndpoint,
  listKeysEndpoint,
  listSecretsEndpoint,
  registerKeyEndpoint,
  revokeSecretEndpoint,
  rotateSecretEndpoint,
  setJwksUriEndpoint,
} = await import("./endpoints");

let handle: DatabaseHandle;
let token = "";
let clientId = "";
const NUL = "\u0000";

beforeAll(async () => {
  handle = await seededApiDatabase(state);
  const spoc = await findUserByEmail(handle.db, "api-team@northwind.example");
  const created = await createApiToken(
    handle.db,
    { userId: spoc!.id, label: "test" },
    { organisation: "northwind", name: "test", scope: "rotate", expiresInDays: 7 },
    new Date(),
  );
  token = created.value;
  clientId = (await listClients(handle.db, (await findOrganisationBySlug(handle.db, "northwind"))!))[0]!.clientId;
});
afterAll(async () => handle?.close());

const call = (
  endpoint: (request: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>,
  params: Record<string, string>,
  init: RequestInit = {},
) =>
  endpoint(
    new Request("https://rotor.example/api/v1/x", {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
    }),
    { params: Promise.resolve(params) },
  );

/** The error lines logged meanwhile (lib/log/logger.ts), by message. */
function capturedErrors() {
  const logs = captureLogs("error");
  return {
    get lines() {
      return logs.messages();
    },
    restore: logs.restore,
  };
}

describe("the management API and input the database cannot store", () => {
  it("refuses a NUL in a body field with 422 naming the field, and changes nothing", async () => {
    const before = await (await call(listSecretsEndpoint, { clientId })).json();
    const secretId = before.secrets[0].id;
    const res = await call(
      revokeSecretEndpoint,
      { clientId, secretId },
      { method: "POST", body: JSON.stringify({ reason: `moved${NUL}` }) },
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      type: "about:blank",
      title: "Unprocessable content",
      status: 422,
      detail: "The request has invalid fields; see errors.",
      errors: [{ field: "reason", message: NUL_MESSAGE }],
    });
    expect(await (await call(listSecretsEndpoint, { clientId })).json()).toEqual(before);
  });

  it("answers a client ID with a NUL in the path as not found, not as a server error", async () => {
    const errors = capturedErrors();
    try {
      const res = await call(listSecretsEndpoint, { clientId: `${clientId}${NUL}` });
      expect(res.status).toBe(404);
      expect(errors.lines).toEqual([]);
    } finally {
      errors.restore();
    }
  });

  it("logs an unexpected database error without its parameters, and answers 500 or, for a value the database refused, 400", async () => {
    const marker = `param-${randomUUID()}`;
    const failing = (query: ReturnType<typeof sql>) =>
      managementRoute({ scope: "read" }, async () => {
        await handle.db.execute(query);
        return { status: 200, body: {} };
      });
    const errors = capturedErrors();
    try {
      const missing = await call(failing(sql`select * from no_such_table where name = ${marker}`), {});
      expect(missing.status).toBe(500);
      expect((await missing.json()).detail).toBe("Something went wrong on our side and the change was not made. Try again.");
      const refused = await call(failing(sql`select ${marker}::uuid`), {});
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({
        type: "about:blank",
        title: "Bad request",
        status: 400,
        detail: "A value in the request cannot be stored; remove any control characters and try again.",
      });
      expect(errors.lines).toEqual([
        "management API: unexpected DrizzleQueryError (code 42P01)",
        "management API: unexpected DrizzleQueryError (code 22P02)",
      ]);
    } finally {
      errors.restore();
    }
  });
});

describe("calls per token", () => {
  it("are limited (120 a minute by default): the next call is 429 problem+json with Retry-After, and other tokens are served", async () => {
    const spoc = await findUserByEmail(handle.db, "api-team@northwind.example");
    const mint = async (name: string) =>
      (
        await createApiToken(
          handle.db,
          { userId: spoc!.id, label: "test" },
          { organisation: "northwind", name, scope: "read", expiresInDays: 7 },
          new Date(),
        )
      ).value;
    const busy = await mint("busy");
    const calm = await mint("calm");
    const call = (value: string) =>
      listSecretsEndpoint(
        new Request(`https://rotor.example/api/v1/clients/${clientId}/secrets`, { headers: { authorization: `Bearer ${value}` } }),
        {
          params: Promise.resolve({ clientId }),
        },
      );
    const statuses: number[] = [];
    for (let i = 0; i < 120; i++) statuses.push((await call(busy)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const refused = await call(busy);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ status: 429, title: "Too many requests" });
    expect((await call(calm)).status).toBe(200);
  });
});

describe("a rotation retried with the same Idempotency-Key", () => {
  it("under show-once answers the value in the first response only; the replay says why it is absent", async () => {
    const spoc = await findUserByEmail(handle.db, "secret-rotation@finvu.example");
    const { value } = await createApiToken(
      handle.db,
      { userId: spoc!.id, label: "test" },
      { organisation: "finvu", name: "show-once", scope: "rotate", expiresInDays: 7 },
      new Date(),
    );
    const finvu = (await findOrganisationBySlug(handle.db, "finvu"))!;
    const [client] = await listClients(handle.db, finvu);
    const rotate = () =>
      rotateSecretEndpoint(
        new Request(`https://rotor.example/api/v1/clients/${client!.clientId}/secrets`, {
          method: "POST",
          headers: { authorization: `Bearer ${value}`, "content-type": "application/json", "idempotency-key": "show-once-1" },
          body: JSON.stringify({ compromised: true }),
        }),
        { params: Promise.resolve({ clientId: client!.clientId }) },
      );
    const first = await rotate();
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    expect(firstBody.value).toMatch(/^rtr_cs_/);
    const replay = await rotate();
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const replayed = await replay.json();
    expect(replayed).toMatchObject({ value: null, secret: { id: firstBody.secret.id } });
    expect(replayed.valueShownOnce).toMatch(/first response to this request only/);
    expect(JSON.stringify(replayed)).not.toContain(firstBody.value);
  });
});

describe("a rotation that says how long the old secret keeps working", () => {
  it("refuses oldSecret=until without a day, saying which field to give and how", async () => {
    const spoc = await findUserByEmail(handle.db, "secret-rotation@finvu.example");
    const { value } = await createApiToken(
      handle.db,
      { userId: spoc!.id, label: "test" },
      { organisation: "finvu", name: "until", scope: "rotate", expiresInDays: 7 },
      new Date(),
    );
    const finvu = (await findOrganisationBySlug(handle.db, "finvu"))!;
    const [client] = await listClients(handle.db, finvu);
    const response = await rotateSecretEndpoint(
      new Request(`https://rotor.example/api/v1/clients/${client!.clientId}/secrets`, {
        method: "POST",
        headers: { authorization: `Bearer ${value}`, "content-type": "application/json" },
        body: JSON.stringify({ oldSecret: "until" }),
      }),
      { params: Promise.resolve({ clientId: client!.clientId }) },
    );
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      type: "about:blank",
      title: "Unprocessable content",
      status: 422,
      detail: "The request has invalid fields; see errors.",
      errors: [{ field: "oldSecretLastDay", message: "Give the old secret's last day as YYYY-MM-DD." }],
    });
  });
});

describe("a client's JWKS URL through the management API (docs/domain.md, Keys at a JWKS URL)", () => {
  it("sets it, and removes it with null", async () => {
    const put = (jwksUri: string | null) =>
      call(
        setJwksUriEndpoint,
        { clientId },
        { method: "PUT", body: JSON.stringify({ jwksUri }), headers: { "idempotency-key": randomUUID() } },
      );
    const set = await put("https://keys.northwind.example/jwks.json");
    expect({ status: set.status, body: await set.json() }).toEqual({
      status: 200,
      body: { jwksUri: "https://keys.northwind.example/jwks.json" },
    });
    const removed = await put(null);
    expect({ status: removed.status, body: await removed.json() }).toEqual({ status: 200, body: { jwksUri: null } });
  });

  it("refuses a URL that can never be fetched with 422 saying why", async () => {
    const res = await call(
      setJwksUriEndpoint,
      { clientId },
      { method: "PUT", body: JSON.stringify({ jwksUri: "ftp://keys.northwind.example/jwks" }) },
    );
    expect({ status: res.status, body: await res.json() }).toEqual({
      status: 422,
      body: {
        type: "about:blank",
        title: "Unprocessable content",
        status: 422,
        detail: "This JWKS URL cannot be used: Use an https:// URL.",
        errors: [{ field: "jwksUri", message: "This JWKS URL cannot be used: Use an https:// URL." }],
      },
    });
  });
});

describe("registering an EC P-256 key (ES256) through the API", () => {
  it("answers 201 with the key, its type EC and alg ES256, and lists it so", async () => {
    const { x, y } = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });
    const jwk = { kty: "EC", crv: "P-256", x: x as string, y: y as string };
    const response = await call(registerKeyEndpoint, { clientId }, { method: "POST", body: JSON.stringify({ key: JSON.stringify(jwk) }) });
    expect(response.status).toBe(201);
    const thumbprint = await calculateJwkThumbprint(jwk, "sha256");
    const body = await response.json();
    expect(body).toEqual({
      id: expect.any(String),
      kid: thumbprint,
      label: null,
      alg: "ES256",
      type: "EC",
      bits: 256,
      thumbprint,
      state: "active",
      createdAt: expect.any(String),
      expiresAt: null,
      lastUsedAt: null,
    });
    const { keys } = await (await call(listKeysEndpoint, { clientId })).json();
    expect(keys.find((k: { id: string }) => k.id === body.id)).toEqual(body);
  });

  it("refuses a key on another curve with 422 naming the field and saying what is accepted", async () => {
    const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey.export({ type: "spki", format: "pem" }).toString();
    const response = await call(registerKeyEndpoint, { clientId }, { method: "POST", body: JSON.stringify({ key: p384 }) });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      type: "about:blank",
      title: "Unprocessable content",
      status: 422,
      detail: "This is an EC key on the P-384 curve. Only RSA keys of 2048 to 4096 bits and EC keys on the P-256 curve are accepted.",
      errors: [
        {
          field: "key",
          message: "This is an EC key on the P-384 curve. Only RSA keys of 2048 to 4096 bits and EC keys on the P-256 curve are accepted.",
        },
      ],
    });
  });
});

describe("the client listing", () => {
  it("shows each client's settings read-only: audiences with the default, token lifetime and algorithm, legacy aud, disabled since", async () => {
    const res = await call(listClientsEndpoint, {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      clients: [
        {
          clientId: expect.any(String),
          name: "Claims submission (production)",
          scopes: ["claims:read", "claims:write"],
          audiences: ["https://api.claims-exchange.example/"],
          defaultAudience: "https://api.claims-exchange.example/",
          accessTokenLifetimeSeconds: 3600,
          accessTokenAlg: "ES256",
          legacyAudience: false,
          disabledAt: null,
        },
        {
          clientId: expect.any(String),
          name: "Claims submission (sandbox)",
          scopes: ["claims:read"],
          audiences: ["https://sandbox.claims-exchange.example/"],
          defaultAudience: "https://sandbox.claims-exchange.example/",
          accessTokenLifetimeSeconds: 3600,
          accessTokenAlg: "ES256",
          legacyAudience: false,
          disabledAt: null,
        },
      ],
    });
  });
});
