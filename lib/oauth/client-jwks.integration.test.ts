import { generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEvents, clientJwksKeyUse } from "@/db/schema";
import { aMember, anOrganisation } from "@/db/testing/builders";
import { createTestDatabase } from "@/db/testing/test-database";
import { setJwksUri } from "@/lib/credentials/set-jwks-uri";
import { setLegacyAudience } from "@/lib/credentials/set-legacy-audience";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { readJwksState } from "@/lib/data/client-jwks";
import type { OrganisationDto } from "@/lib/data/organisations";
import { getPlatformSettings, savePlatformSettings } from "@/lib/data/platform";
import { DomainError } from "@/lib/errors";
import { DEFAULT_OUTBOUND_LIMITS, outboundGet } from "@/lib/http/outbound";
import { checkAssertion } from "./assertion-checker";
import { ASSERTION_NOT_VERIFIED } from "./client-assertion";
import { createMachine, type Machine } from "./machine";
import { assertion, cliContext, directMount, httpMount, jwtForm, type Mount, provisionClient } from "./testing";

/*
 * A client that publishes its keys at a JWKS URL (docs/domain.md, "Keys at a JWKS URL"): it rotates
 * by publishing the next key, with nothing changed in Rotor. A real HTTP server publishes the set;
 * the token endpoint runs on both mounts.
 */
const ISSUER = "https://auth.rotor.test";
const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
const FORM = { "content-type": "application/x-www-form-urlencoded" };
let handle: DatabaseHandle;
let organisation: OrganisationDto;
let machine: Machine;
let production: Machine;
const mounts: Mount[] = [];
let server: Server;
let jwksBase: string;
let clock = new Date("2026-11-29T10:00:00.000Z");
const logged: string[] = [];
/** What the publisher serves, per path. */
const published = new Map<string, { status: number; body: string; headers?: Record<string, string> }>();
const requests: string[] = [];

function pair(): { privateKey: KeyObject; jwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { privateKey, jwk: publicKey.export({ format: "jwk" }) as Record<string, unknown> };
}
const keyA = pair();
const keyB = pair();
const publish = (path: string, keys: Record<string, unknown>[], headers: Record<string, string> = { "cache-control": "max-age=600" }) =>
  published.set(path, { status: 200, body: JSON.stringify({ keys }), headers });

beforeAll(async () => {
  handle = await createTestDatabase();
  organisation = await anOrganisation(handle.db);
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const answer = published.get(req.url ?? "") ?? { status: 404, body: "not here" };
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  jwksBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const limits = { ...DEFAULT_OUTBOUND_LIMITS, timeoutMs: 2_000 };
  machine = createMachine({
    db: handle.db,
    keyRing,
    issuer: ISSUER,
    now: () => clock,
    background: false,
    log: (l) => logged.push(l),
    fetchJwks: (url) => outboundGet(url, { ...limits, allowPrivateAddresses: true, allowHttp: true }),
  });
  // As a production deployment fetches: public addresses only.
  production = createMachine({
    db: handle.db,
    keyRing,
    issuer: ISSUER,
    now: () => clock,
    background: false,
    log: (l) => logged.push(l),
    fetchJwks: (url) => outboundGet(url, { ...limits, allowPrivateAddresses: false, allowHttp: true }),
  });
  mounts.push(directMount(machine, ISSUER), await httpMount(machine, ISSUER));
});
afterAll(async () => {
  for (const m of mounts) await m.close();
  await machine?.stop();
  await production?.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await handle?.close();
});
beforeEach(() => {
  clock = new Date(clock.getTime() + 3_600_000);
});

const ctx = () => cliContext(handle.db, organisation, keyRing, clock);
const later = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1000);
};
async function token(mount: Mount, clientId: string, key: KeyObject, kid: string) {
  const iat = Math.floor(clock.getTime() / 1000);
  const signed = await assertion(key, { iss: clientId, sub: clientId, aud: ISSUER, iat, exp: iat + 120 }, { kid });
  const res = await mount.fetch("/oauth/token", { method: "POST", headers: FORM, body: jwtForm(signed).toString() });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.each([0, 1])("a client that publishes its keys, mount %#", (index) => {
  const mount = () => mounts[index]!;

  it("authenticates with the published key, then rotates by publishing the next one, with nothing changed in Rotor", async () => {
    const path = `/rotation-${index}.json`;
    const { clientId } = await provisionClient(ctx());
    await setJwksUri(ctx(), { clientId, jwksUri: `${jwksBase}${path}` });
    publish(path, [{ ...keyA.jwk, kid: "a", alg: "RS256" }]);
    expect(await token(mount(), clientId, keyA.privateKey, "a")).toMatchObject({ status: 200, body: { token_type: "Bearer" } });

    // The publisher rotates: B replaces A. An assertion naming B makes Rotor fetch again (once a minute at most).
    publish(path, [{ ...keyB.jwk, kid: "b", alg: "RS256" }]);
    later(61);
    expect(await token(mount(), clientId, keyB.privateKey, "b")).toMatchObject({ status: 200, body: { token_type: "Bearer" } });
    // A is gone from the set, and from what Rotor accepts.
    expect(await token(mount(), clientId, keyA.privateKey, "a")).toEqual({
      status: 401,
      body: { error: "invalid_client", error_description: ASSERTION_NOT_VERIFIED },
    });
  });
});

describe("fetching", () => {
  it("happens once while the set is fresh, however many assertions arrive", async () => {
    const path = "/fresh.json";
    const { clientId, uuid } = await provisionClient(ctx());
    await setJwksUri(ctx(), { clientId, jwksUri: `${jwksBase}${path}` });
    publish(path, [{ ...keyA.jwk, kid: "a" }]);
    const before = requests.filter((r) => r === path).length;
    for (let i = 0; i < 3; i++) expect((await token(mounts[0]!, clientId, keyA.privateKey, "a")).status).toBe(200);
    expect(requests.filter((r) => r === path).length - before).toBe(1);
    // The published key's last use, by kid, written with the usage batch.
    await machine.usage.flush();
    expect(await handle.db.select().from(clientJwksKeyUse).where(eq(clientJwksKeyUse.clientId, uuid))).toEqual([
      { clientId: uuid, kid: "a", lastUsedAt: clock },
    ]);
  });

  it("keeps the last good keys while the publisher fails, records why, and says so", async () => {
    const path = "/failing.json";
    const { clientId, uuid } = await provisionClient(ctx());
    const uri = `${jwksBase}${path}`;
    await setJwksUri(ctx(), { clientId, jwksUri: uri });
    publish(path, [{ ...keyA.jwk, kid: "a" }]);
    expect((await token(mounts[0]!, clientId, keyA.privateKey, "a")).status).toBe(200);
    published.set(path, { status: 503, body: "down" });
    later(601);
    const failingAt = clock;
    expect((await token(mounts[0]!, clientId, keyA.privateKey, "a")).status).toBe(200);
    expect(await readJwksState(handle.db, uuid, uri)).toMatchObject({
      lastError: "The JWKS URL answered HTTP 503.",
      failingSince: failingAt,
      lastAttemptAt: failingAt,
    });
    expect(logged).toContain(`client jwks: fetch for client ${uuid} failed: The JWKS URL answered HTTP 503.`);
  });

  it("in production, refuses a URL whose name resolves to a loopback address, and the assertion with it", async () => {
    const path = "/private.json";
    const { clientId, uuid } = await provisionClient(ctx());
    const uri = `${jwksBase.replace("127.0.0.1", "localhost")}${path}`;
    await setJwksUri(ctx(), { clientId, jwksUri: uri });
    publish(path, [{ ...keyA.jwk, kid: "a" }]);
    const before = requests.filter((r) => r === path).length;
    const prod = directMount(production, ISSUER);
    expect(await token(prod, clientId, keyA.privateKey, "a")).toEqual({
      status: 401,
      body: { error: "invalid_client", error_description: ASSERTION_NOT_VERIFIED },
    });
    expect(requests.filter((r) => r === path).length).toBe(before);
    expect((await readJwksState(handle.db, uuid, uri)).lastError).toMatch(
      /^localhost resolves to (127\.0\.0\.1|::1), which is not a public address\.$/,
    );
  });
});

describe("the Dev Tools assertion checker", () => {
  it("checks against the published keys as the token endpoint does, and tells the client's people the precise reason", async () => {
    const path = "/checker.json";
    const { clientId } = await provisionClient(ctx());
    await setJwksUri(ctx(), { clientId, jwksUri: `${jwksBase}${path}` });
    publish(path, [{ ...keyA.jwk, kid: "a" }]);
    const iat = Math.floor(clock.getTime() / 1000);
    const signed = (key: KeyObject, kid: string) =>
      assertion(key, { iss: clientId, sub: clientId, aud: ISSUER, iat, exp: iat + 120 }, { kid });
    const config = { issuer: ISSUER, now: clock, jwks: machine.jwks };
    expect(await checkAssertion(handle.db, organisation, { assertion: await signed(keyA.privateKey, "a") }, config)).toMatchObject({
      ok: true,
      clientId,
      keyKid: "a",
    });
    expect(await checkAssertion(handle.db, organisation, { assertion: await signed(keyB.privateKey, "b") }, config)).toEqual({
      ok: false,
      error: "invalid_client",
      description: "No active key with kid b is registered for this client.",
    });
  });
});

describe("setting the URL", () => {
  it("is audited with before and after, and a new URL drops what the old one gave", async () => {
    const { clientId, uuid } = await provisionClient(ctx());
    const first = `${jwksBase}/one.json`;
    publish("/one.json", [{ ...keyA.jwk, kid: "a" }]);
    await setJwksUri(ctx(), { clientId, jwksUri: first });
    expect((await token(mounts[0]!, clientId, keyA.privateKey, "a")).status).toBe(200);
    await setJwksUri(ctx(), { clientId, jwksUri: null });
    expect((await readJwksState(handle.db, uuid, first)).keys).toEqual([]);
    expect((await token(mounts[0]!, clientId, keyA.privateKey, "a")).status).toBe(401);
    const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, uuid));
    expect(events.filter((e) => e.action === "client.jwks_uri_changed").map((e) => e.metadata)).toEqual([
      { client: clientId, from: null, to: first },
      { client: clientId, from: first, to: null },
    ]);
  });

  it("is the operator's alone when the platform says so; the CLI is the operator's", async () => {
    const { clientId } = await provisionClient(ctx());
    const before = await getPlatformSettings(handle.db);
    await savePlatformSettings(handle.db, { ...before, spocsMaySetJwksUri: false }, clock);
    try {
      const { user: spoc } = await aMember(handle.db, organisation, { role: "spoc" });
      const asSpoc = { ...ctx(), role: "spoc" as const, actor: { type: "user" as const, userId: spoc.id, label: "spoc" } };
      await expect(setJwksUri(asSpoc, { clientId, jwksUri: "https://keys.example.com/jwks.json" })).rejects.toThrow(
        new DomainError("forbidden", "On this platform the operator sets clients' JWKS URLs. Ask your platform operator.", "jwksUri"),
      );
      expect(await setJwksUri(ctx(), { clientId, jwksUri: "https://keys.example.com/jwks.json" })).toEqual({
        jwksUri: "https://keys.example.com/jwks.json",
      });
    } finally {
      await savePlatformSettings(handle.db, before, clock);
    }
  });

  it("the legacy aud switch: the designated user's where the operator allows it, audited before and after", async () => {
    const own = await anOrganisation(handle.db);
    const cli = () => cliContext(handle.db, own, keyRing, clock);
    const { clientId, uuid } = await provisionClient(cli());
    const { user: spoc } = await aMember(handle.db, own, { role: "spoc" });
    const asSpoc = { ...cli(), role: "spoc" as const, actor: { type: "user" as const, userId: spoc.id, label: "spoc" } };
    // Off by default: the operator's alone (the CLI is the operator's).
    await expect(setLegacyAudience(asSpoc, { clientId, legacyAudience: true })).rejects.toThrow(
      new DomainError(
        "forbidden",
        "On this platform the operator sets the legacy aud switch. Ask your platform operator.",
        "legacyAudience",
      ),
    );
    const before = await getPlatformSettings(handle.db);
    await savePlatformSettings(handle.db, { ...before, spocsMaySetLegacyAudience: true }, clock);
    try {
      expect(await setLegacyAudience(asSpoc, { clientId, legacyAudience: true })).toEqual({ legacyAudience: true });
      expect(await setLegacyAudience(asSpoc, { clientId, legacyAudience: true })).toEqual({ legacyAudience: true });
    } finally {
      await savePlatformSettings(handle.db, before, clock);
    }
    expect(await setLegacyAudience(cli(), { clientId, legacyAudience: false })).toEqual({ legacyAudience: false });
    const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.targetId, uuid));
    expect(events.filter((e) => e.action === "client.settings_updated").map((e) => [e.actorType, e.metadata])).toEqual([
      ["user", { clientId, before: { legacyAudience: false }, after: { legacyAudience: true } }],
      ["cli", { clientId, before: { legacyAudience: true }, after: { legacyAudience: false } }],
    ]);
  });

  it("refuses what can never be fetched, saying why", async () => {
    const { clientId } = await provisionClient(ctx());
    await expect(setJwksUri(ctx(), { clientId, jwksUri: "ftp://keys.example/jwks" })).rejects.toThrow(
      new DomainError("invalid", "This JWKS URL cannot be used: Use an https:// URL.", "jwksUri"),
    );
    await expect(setJwksUri(ctx(), { clientId, jwksUri: "https://user:pw@keys.example/jwks" })).rejects.toThrow(
      new DomainError("invalid", "This JWKS URL cannot be used: The URL must not carry a user name or password.", "jwksUri"),
    );
  });
});
