import { randomUUID } from "node:crypto";
import { desc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEvents, personalApiTokens, platformOperators, platformSettings } from "@/db/schema";
import { cliPlatform, personOnPlatform } from "@/db/testing/contexts";
import { createApiToken, createPlatformApiToken } from "@/lib/api-tokens/api-tokens";
import { rotateSecret } from "@/lib/credentials/rotate-secret";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { findUserByEmail } from "@/lib/data/users";
import { createMachine } from "@/lib/oauth/machine";
import { basic, cliContext } from "@/lib/oauth/testing";
import { addOperator } from "@/lib/organisations/add-operator";
import { removeOperator } from "@/lib/organisations/remove-operator";
import { type ApiTestState, INVALID_TOKEN, PLATFORM_TOKEN_REQUIRED, seededApiDatabase } from "./testing";

/*
 * The platform operator's endpoints of the management API (docs/domain.md, "Clients" and "The
 * management API"): a platform token creates, reads, configures, disables and enables an
 * organisation's clients; what it changes is audited as the portal's changes are and holds at
 * the token endpoint from the next request; no other token may, and a removed operator's may not.
 */
const state = vi.hoisted((): ApiTestState => ({ db: null, handle: null, keyRing: null }));
vi.mock("@/lib/data/database", () => ({ getDb: async () => state.db, getDatabaseHandle: async () => state.handle }));
vi.mock("@/lib/crypto/key-ring-loader", () => ({ loadKeyRing: () => state.keyRing }));

const {
  createClientEndpoint,
  disableClientEndpoint,
  enableClientEndpoint,
  listOrganisationClientsEndpoint,
  readClientEndpoint,
  updateClientSettingsEndpoint,
} = await import("./platform-endpoints");
const { listClientsEndpoint } = await import("./endpoints");

const ISSUER = "https://rotor.example";
let handle: DatabaseHandle;
let operatorToken = "";
let spocToken = "";

type Endpoint = (request: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function operatorTokenFor(email: string, name: string) {
  const operator = await findUserByEmail(handle.db, email);
  const ctx = personOnPlatform(handle.db, { userId: operator!.id, label: email, isOperator: true });
  return (await createPlatformApiToken(ctx, { name, expiresInDays: 7 })).value;
}

beforeAll(async () => {
  handle = await seededApiDatabase(state);
  // The demo's platform allows two audiences only; these tests use their own.
  await handle.db.update(platformSettings).set({ allowedAudiences: [] });
  operatorToken = await operatorTokenFor("operator@rotor.example", "ops pipeline");
  const spoc = await findUserByEmail(handle.db, "api-team@northwind.example");
  spocToken = (
    await createApiToken(
      handle.db,
      { userId: spoc!.id, label: "test" },
      { organisation: "northwind", name: "spoc", scope: "rotate", expiresInDays: 7 },
      new Date(),
    )
  ).value;
});
afterAll(async () => handle?.close());

async function call(
  endpoint: Endpoint,
  params: Record<string, string>,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
) {
  const response = await endpoint(
    new Request(`${ISSUER}/api/v1/organisations/${params.organisation ?? ""}/clients`, {
      method: init.method ?? "GET",
      headers: {
        authorization: `Bearer ${init.token ?? operatorToken}`,
        "content-type": "application/json",
        "user-agent": "ops-pipeline/1.0",
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }),
    { params: Promise.resolve(params) },
  );
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const create = (body: unknown, init: { token?: string; headers?: Record<string, string> } = {}) =>
  call(createClientEndpoint, { organisation: "northwind" }, { method: "POST", body, ...init });

async function lastEvents(n: number) {
  const rows = await handle.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(n);
  return rows.reverse().map((e) => ({
    action: e.action,
    actorType: e.actorType,
    actorLabel: e.actorLabel,
    organisationId: e.organisationId,
    metadata: e.metadata,
    userAgent: e.userAgent,
  }));
}

const NEW_CLIENT = {
  clientId: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
  name: "Claims batch",
  scopes: ["claims:read"],
  audiences: ["https://a.example/", "https://b.example/"],
  defaultAudience: "https://b.example/",
  accessTokenLifetimeSeconds: 900,
  accessTokenAlg: "ES256",
  legacyAudience: false,
  disabledAt: null,
};

describe("a platform operator's token", () => {
  it("creates a client for an organisation, audited as client.created by the operator through the token", async () => {
    const created = await create({
      name: "Claims batch",
      scopes: ["claims:read"],
      audiences: ["https://a.example/", "https://b.example/"],
      defaultAudience: "https://b.example/",
      tokenTtlSeconds: 900,
    });
    expect(created).toMatchObject({ status: 201, body: NEW_CLIENT });
    const northwind = (await findOrganisationBySlug(handle.db, "northwind"))!;
    expect(await lastEvents(1)).toEqual([
      {
        action: "client.created",
        actorType: "api_token",
        actorLabel: 'operator@rotor.example (API token "ops pipeline")',
        organisationId: northwind.id,
        metadata: {
          clientId: created.body.clientId,
          name: "Claims batch",
          scopes: ["claims:read"],
          audiences: ["https://a.example/", "https://b.example/"],
          defaultAudience: "https://b.example/",
          tokenTtlSeconds: 900,
          accessTokenAlg: "ES256",
          legacyAudience: false,
        },
        userAgent: "ops-pipeline/1.0",
      },
    ]);
  });

  it("creates a client once for one Idempotency-Key, and answers the retry with the first response", async () => {
    const key = randomUUID();
    const first = await create({ name: "Retried" }, { headers: { "idempotency-key": key } });
    const retry = await create({ name: "Retried" }, { headers: { "idempotency-key": key } });
    expect(first.status).toBe(201);
    expect({ status: retry.status, replayed: retry.headers.get("idempotent-replayed"), body: retry.body }).toEqual({
      status: 201,
      replayed: "true",
      body: first.body,
    });
    const { body } = await call(listOrganisationClientsEndpoint, { organisation: "northwind" });
    expect(body.clients.filter((c: { name: string }) => c.name === "Retried")).toHaveLength(1);
  });

  it("lists and reads an organisation's clients; another organisation's client is not found there", async () => {
    const { body: created } = await create({ name: "Readable" });
    const list = await call(listOrganisationClientsEndpoint, { organisation: "northwind" });
    expect(list.status).toBe(200);
    expect(list.body.clients.map((c: { name: string }) => c.name)).toContain("Readable");
    expect(list.body.clients.find((c: { clientId: string }) => c.clientId === created.clientId)).toEqual(created);
    expect(await call(readClientEndpoint, { organisation: "northwind", clientId: created.clientId })).toMatchObject({
      status: 200,
      body: created,
    });
    expect(await call(readClientEndpoint, { organisation: "finvu", clientId: created.clientId })).toMatchObject({
      status: 404,
      body: {
        type: "about:blank",
        title: "Not found",
        status: 404,
        detail: `There is no client ${created.clientId} in this organisation.`,
      },
    });
    expect((await call(listOrganisationClientsEndpoint, { organisation: "nowhere" })).body).toEqual({
      type: "about:blank",
      title: "Not found",
      status: 404,
      detail: "There is no organisation nowhere.",
    });
  });

  it("changes only the settings sent (PATCH), audited with what changed, before and after", async () => {
    const { body: created } = await create({
      name: "Patched",
      scopes: ["claims:read"],
      audiences: ["https://a.example/", "https://b.example/"],
      defaultAudience: "https://a.example/",
    });
    const patched = await call(
      updateClientSettingsEndpoint,
      { organisation: "northwind", clientId: created.clientId },
      { method: "PATCH", body: { defaultAudience: "https://b.example/", accessTokenAlg: "RS256", legacyAudience: true } },
    );
    expect(patched).toMatchObject({
      status: 200,
      body: { ...created, defaultAudience: "https://b.example/", accessTokenAlg: "RS256", legacyAudience: true },
    });
    expect((await lastEvents(1))[0]).toMatchObject({
      action: "client.settings_updated",
      actorType: "api_token",
      actorLabel: 'operator@rotor.example (API token "ops pipeline")',
      metadata: {
        clientId: created.clientId,
        before: { defaultAudience: "https://a.example/", accessTokenAlg: "ES256", legacyAudience: false },
        after: { defaultAudience: "https://b.example/", accessTokenAlg: "RS256", legacyAudience: true },
      },
    });
  });

  it("disables a client: the token endpoint answers invalid_client as for an unknown one; enabled again, its secret works at once", async () => {
    const { body: created } = await create({ name: "Switched" });
    const northwind = (await findOrganisationBySlug(handle.db, "northwind"))!;
    // Its designated user issues the first secret.
    const { secret } = await rotateSecret(cliContext(handle.db, northwind, state.keyRing!), {
      clientId: created.clientId,
      compromised: false,
    });
    const machine = createMachine({ db: handle.db, keyRing: state.keyRing!, issuer: ISSUER, background: false, log: () => {} });
    const tokenRequest = async () => {
      const response = await machine.routes["/oauth/token"](
        new Request(`${ISSUER}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(created.clientId, secret.value) },
          body: "grant_type=client_credentials",
        }),
      );
      return { status: response.status, body: await response.json() };
    };
    try {
      expect((await tokenRequest()).status).toBe(200);
      const path = { organisation: "northwind", clientId: created.clientId };
      const disabled = await call(disableClientEndpoint, path, { method: "POST" });
      expect(disabled).toMatchObject({ status: 200, body: { ...created, disabledAt: expect.any(String) } });
      expect(await tokenRequest()).toEqual({
        status: 401,
        body: { error: "invalid_client", error_description: "Client authentication failed." },
      });
      expect(await call(disableClientEndpoint, path, { method: "POST" })).toMatchObject({
        status: 409,
        body: { detail: `Client ${created.clientId} is already disabled, since ${disabled.body.disabledAt}.` },
      });
      const enabled = await call(enableClientEndpoint, path, { method: "POST" });
      expect(enabled).toMatchObject({ status: 200, body: created });
      const issued = await tokenRequest();
      expect(issued).toMatchObject({ status: 200, body: { token_type: "Bearer", expires_in: 3600 } });
      expect((await lastEvents(2)).map((e) => [e.action, e.actorLabel, e.metadata])).toEqual([
        ["client.disabled", 'operator@rotor.example (API token "ops pipeline")', { clientId: created.clientId }],
        [
          "client.enabled",
          'operator@rotor.example (API token "ops pipeline")',
          { clientId: created.clientId, disabledAt: disabled.body.disabledAt },
        ],
      ]);
    } finally {
      await machine.stop();
    }
  });

  it("is refused at an organisation's endpoints, with a 403 that says where it belongs", async () => {
    const res = await call(listClientsEndpoint, {});
    expect({ status: res.status, challenge: res.headers.get("www-authenticate"), body: res.body }).toEqual({
      status: 403,
      challenge: 'Bearer realm="rotor-management", error="insufficient_scope", scope="read"',
      body: {
        type: "about:blank",
        title: "Forbidden",
        status: 403,
        detail:
          "This is a platform operator's token: it acts for no one organisation. Use the operator's endpoints under /api/v1/organisations/{organisation}/clients and /api/v1/platform, or a designated user's token for this one.",
      },
    });
  });
});

describe("the operator's endpoints with any other token", () => {
  it("refuse a designated user's token with 403 insufficient_scope, and change nothing", async () => {
    const before = (await call(listOrganisationClientsEndpoint, { organisation: "northwind" })).body;
    const refused = await create({ name: "Not mine" }, { token: spocToken });
    expect({ status: refused.status, challenge: refused.headers.get("www-authenticate"), body: refused.body }).toEqual(
      PLATFORM_TOKEN_REQUIRED,
    );
    const [first] = before.clients;
    const patched = await call(
      updateClientSettingsEndpoint,
      { organisation: "northwind", clientId: first.clientId },
      { method: "PATCH", body: { legacyAudience: true }, token: spocToken },
    );
    expect(patched.status).toBe(403);
    expect(
      (await call(disableClientEndpoint, { organisation: "northwind", clientId: first.clientId }, { method: "POST", token: spocToken }))
        .status,
    ).toBe(403);
    expect((await call(listOrganisationClientsEndpoint, { organisation: "northwind" })).body).toEqual(before);
  });

  it("refuse the token of an operator who was removed, from the next request: removal revokes it in the same change", async () => {
    await addOperator(cliPlatform(handle.db), { email: "second.operator@rotor.example" });
    const token = await operatorTokenFor("second.operator@rotor.example", "second");
    expect((await call(listOrganisationClientsEndpoint, { organisation: "northwind" }, { token })).status).toBe(200);
    expect(await removeOperator(cliPlatform(handle.db), { email: "second.operator@rotor.example" })).toEqual({ apiTokensRevoked: 1 });
    const refused = await call(listOrganisationClientsEndpoint, { organisation: "northwind" }, { token });
    expect({ status: refused.status, challenge: refused.headers.get("www-authenticate"), body: refused.body }).toEqual(INVALID_TOKEN);
    expect((await lastEvents(1))[0]).toMatchObject({
      action: "operator.removed",
      organisationId: null,
      metadata: { email: "second.operator@rotor.example", apiTokensRevoked: 1 },
    });
  });

  it("refuse it even when the operator's place was ended by a path that revoked nothing", async () => {
    await addOperator(cliPlatform(handle.db), { email: "third.operator@rotor.example" });
    const token = await operatorTokenFor("third.operator@rotor.example", "third");
    const third = await findUserByEmail(handle.db, "third.operator@rotor.example");
    await handle.db.delete(platformOperators).where(eq(platformOperators.userId, third!.id));
    const [row] = await handle.db.select().from(personalApiTokens).where(eq(personalApiTokens.userId, third!.id));
    expect(row?.revokedAt).toBeNull();
    expect((await call(listOrganisationClientsEndpoint, { organisation: "northwind" }, { token })).status).toBe(401);
  });
});

describe("bad input to the operator's endpoints", () => {
  const invalid = (errors: { field: string; message: string }[], detail = "The request has invalid fields; see errors.") => ({
    status: 422,
    body: { type: "about:blank", title: "Unprocessable content", status: 422, detail, errors },
  });

  it("is 422 naming the field, with the portal's own messages, and creates nothing", async () => {
    const before = (await call(listOrganisationClientsEndpoint, { organisation: "northwind" })).body;
    expect(await create({ name: "Short-lived", tokenTtlSeconds: 10 })).toMatchObject(
      invalid([{ field: "tokenTtlSeconds", message: "Access tokens live at least 60 seconds." }]),
    );
    expect(await create({ name: "Ambiguous", audiences: ["https://a.example/", "https://b.example/"] })).toMatchObject(
      invalid([{ field: "defaultAudience", message: "Choose the default audience among https://a.example/, https://b.example/." }]),
    );
    expect(await create({ scopes: ["claims:read"] })).toMatchObject(
      invalid([{ field: "name", message: "Invalid input: expected string, received undefined" }]),
    );
    expect(await create({ name: "Typo", scope: ["claims:read"] })).toMatchObject(
      invalid([{ field: "body", message: 'Unrecognized key: "scope"' }]),
    );
    expect((await call(listOrganisationClientsEndpoint, { organisation: "northwind" })).body).toEqual(before);
  });

  it("to a PATCH is 422 naming the field, for a rule of the field and a rule of the client alike, and changes nothing", async () => {
    const { body: created } = await create({ name: "Strict", audiences: ["https://a.example/"] });
    const path = { organisation: "northwind", clientId: created.clientId };
    const patch = (body: unknown) => call(updateClientSettingsEndpoint, path, { method: "PATCH", body });
    expect(await patch({ audiences: ["not a uri"] })).toMatchObject(
      invalid([{ field: "audiences.0", message: "An audience is an absolute URI without a fragment, e.g. https://api.example.com/." }]),
    );
    const notAmong = "The default audience must be one of the client's audiences: https://a.example/.";
    expect(await patch({ defaultAudience: "https://z.example/" })).toMatchObject(
      invalid([{ field: "defaultAudience", message: notAmong }], notAmong),
    );
    expect(await patch({ accessTokenAlg: "HS256" })).toMatchObject({ status: 422, body: { errors: [{ field: "accessTokenAlg" }] } });
    expect((await call(readClientEndpoint, path)).body).toEqual(created);
    const events = await handle.db
      .select()
      .from(auditEvents)
      .where(inArray(auditEvents.action, ["client.settings_updated"]));
    expect(events.filter((e) => (e.metadata as { clientId?: string }).clientId === created.clientId)).toEqual([]);
  });
});
