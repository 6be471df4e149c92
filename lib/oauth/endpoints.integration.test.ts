import { randomBytes, randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { clientAddresses, clientAudienceUsage, clientPublicKeys, clientSecrets, oauthClients } from "@/db/schema";
import { aClient, anOrganisation } from "@/db/testing/builders";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import type { OrganisationDto } from "@/lib/data/organisations";
import { savePlatformSettings } from "@/lib/data/platform";
import { createTokenStore, type TokenStore } from "@/lib/data/token-store";
import { signAccessToken } from "./access-token";
import { assertionCheckInput, checkAssertion } from "./assertion-checker";
import { UNGUARDED } from "./client-authentication";
import { OAuthError, throttled } from "./errors";
import { createIntrospectionEndpoint } from "./introspection";
import { createMachine, type Machine } from "./machine";
import { authorizationServerMetadata } from "./metadata";
import { createWhoamiEndpoint } from "./protected-api";
import { addKey, assertion, basic, cliContext, jwtForm, provisionClient } from "./testing";
import { answerOAuthError, THROTTLED_HOLD_MS, type TokenEndpointDeps } from "./token-endpoint";

/*
 * The answers of the machine paths compared whole: status, every header, the whole body
 * (RFC 6749 5.1 and 5.2, RFC 7662 2.2, RFC 6750 3), and what a request leaves behind for the
 * portal (docs/domain.md, usage). The clock is the machine's own, set per test.
 */

const ISSUER = "https://auth.rotor.test";
const API = "https://api.claims-exchange.example/";
/** The platform's own API (lib/oauth/machine.ts), the one audience whoami always accepts. */
const OWN_API = `${ISSUER}/api/v1`;
const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
let handle: DatabaseHandle;
let org: OrganisationDto;
let machine: Machine;
let clock = new Date();
const logged: string[] = [];

beforeAll(async () => {
  handle = await createTestDatabase();
  org = await anOrganisation(handle.db, { name: "Northwind Insurance" });
});
afterAll(async () => {
  await handle?.close();
});
// A machine per test, built inside it: what createMachine wires up is then exercised by every test
// (a machine built once in beforeAll would be covered by none, docs/test-strength.md).
beforeEach(() => {
  // Whole seconds, so iat and exp are the clock's own values.
  clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  logged.length = 0;
  machine = createMachine({
    db: handle.db,
    keyRing,
    issuer: ISSUER,
    now: () => clock,
    background: false,
    log: (line) => logged.push(line),
    addressOf: (request) => request.headers.get("x-test-address"),
  });
});
afterEach(async () => {
  await machine.stop();
});

const ctx = () => cliContext(handle.db, org, keyRing, clock);
/** A client of the organisation, since disabled (no use case disables one yet: the row is set directly). */
async function disabledClient() {
  const client = await aClient(handle.db, org);
  await handle.db.update(oauthClients).set({ disabledAt: clock }).where(eq(oauthClients.id, client.id));
  return client;
}
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const NO_STORE = { "cache-control": "no-store", "content-type": "application/json;charset=UTF-8", pragma: "no-cache" };
const seconds = (d: Date) => d.getTime() / 1000;

async function whole(res: Response) {
  const text = await res.text();
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: text === "" ? null : JSON.parse(text) };
}
const call = (path: keyof Machine["routes"], init: RequestInit = {}) => machine.routes[path](new Request(`${ISSUER}${path}`, init));
const token = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  call("/oauth/token", { method: "POST", headers: { ...FORM, ...headers }, body: new URLSearchParams(fields).toString() });
const introspect = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  call("/oauth/introspect", { method: "POST", headers: { ...FORM, ...headers }, body: new URLSearchParams(fields).toString() });
const whoami = (authorization?: string, method = "GET") =>
  call("/api/v1/whoami", { method, headers: authorization === undefined ? {} : { authorization } });
async function issued(c: { clientId: string; secret: string }, fields: Record<string, string> = {}) {
  const res = await token({ grant_type: "client_credentials", ...fields }, { authorization: basic(c.clientId, c.secret) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

// A query that fails for real (no such table), as a database outage would.
const broken = (): TokenStore => {
  const fail = async () => {
    await handle.db.execute(sql`select * from no_such_table`);
    return null;
  };
  return { ...createTokenStore(handle.db), findClientWithSecrets: fail, findClientWithKeys: fail, findClient: fail };
};
const depsWith = (store: TokenStore): TokenEndpointDeps => ({
  issuer: ISSUER,
  tokenEndpoint: `${ISSUER}/oauth/token`,
  store,
  keys: machine.keys,
  usage: machine.usage,
  defaultAudience: OWN_API,
  now: () => clock,
  log: (line) => logged.push(line),
  guard: UNGUARDED,
  addressOf: () => null,
});

describe("the token endpoint's answers (RFC 6749 5.1, 5.2)", () => {
  it("issues exactly the RFC 6749 5.1 body, and a token whose claims are exactly those of RFC 9068 2.2", async () => {
    const c = await provisionClient(ctx(), { ttl: 600 });
    const res = await token({ grant_type: "client_credentials", scope: "claims:read" }, { authorization: basic(c.clientId, c.secret) });
    const answer = await whole(res);
    const accessToken = answer.body.access_token as string;
    expect(answer).toEqual({
      status: 200,
      headers: NO_STORE,
      body: { access_token: accessToken, token_type: "Bearer", expires_in: 600, scope: "claims:read" },
    });
    const claims = decodeJwt(accessToken);
    expect(claims).toEqual({
      iss: ISSUER,
      sub: c.clientId,
      client_id: c.clientId,
      aud: API,
      scope: "claims:read",
      iat: seconds(clock),
      exp: seconds(clock) + 600,
      jti: claims.jti,
    });
    expect(claims.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("answers any other method than POST with 405, Allow: POST and invalid_request", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      expect(await whole(await call("/oauth/token", { method })), method).toEqual({
        status: 405,
        headers: { ...NO_STORE, allow: "POST, OPTIONS" },
        body: { error: "invalid_request", error_description: "The token endpoint accepts POST only." },
      });
    }
  });

  it("answers another grant type with unsupported_grant_type, after authenticating the client, and no challenge", async () => {
    const c = await provisionClient(ctx());
    expect(await whole(await token({ grant_type: "password" }, { authorization: basic(c.clientId, c.secret) }))).toEqual({
      status: 400,
      headers: NO_STORE,
      body: { error: "unsupported_grant_type", error_description: "Only grant_type=client_credentials is supported here." },
    });
  });

  it("offers the Basic challenge on a failed authentication when the client used Basic, in any letter case, and not otherwise", async () => {
    const c = await provisionClient(ctx());
    const failed = { error: "invalid_client", error_description: "Client authentication failed." };
    const lowercase = basic(c.clientId, `${c.secret}x`).replace(/^Basic/, "basic");
    expect(await whole(await token({ grant_type: "client_credentials" }, { authorization: lowercase }))).toEqual({
      status: 401,
      headers: { ...NO_STORE, "www-authenticate": 'Basic realm="oauth", charset="UTF-8"' },
      body: failed,
    });
    expect(await whole(await token({ grant_type: "client_credentials", client_id: c.clientId, client_secret: `${c.secret}x` }))).toEqual({
      status: 401,
      headers: NO_STORE,
      body: failed,
    });
  });

  it("refuses a scope the client may not have with invalid_scope, naming what it may have", async () => {
    const c = await provisionClient(ctx());
    expect(
      await whole(await token({ grant_type: "client_credentials", scope: "admin" }, { authorization: basic(c.clientId, c.secret) })),
    ).toEqual({
      status: 400,
      headers: NO_STORE,
      body: {
        error: "invalid_scope",
        error_description: "This client may not have the scope admin; it may have: claims:read claims:write.",
      },
    });
  });

  it("holds a throttled answer for THROTTLED_HOLD_MS before sending it, and no other answer", async () => {
    const held: number[] = [];
    const hold = async (ms: number) => {
      held.push(ms);
    };
    const refused = await answerOAuthError(new OAuthError("invalid_client", "Client authentication failed."), false, hold);
    expect(refused.status).toBe(401);
    expect(held).toEqual([]);
    const slowed = await answerOAuthError(throttled(30), true, hold);
    expect(held).toEqual([THROTTLED_HOLD_MS]);
    expect(await whole(slowed)).toEqual({
      status: 429,
      headers: { ...NO_STORE, "retry-after": "30" },
      body: { error: "temporarily_unavailable", error_description: "Too many failed client authentications; try again in 30 seconds." },
    });
  });
});

describe("what a token request leaves for the portal", () => {
  const rows = async (clientId: string, uuid: string, secretId: string, keyId: string) => ({
    secret: (await handle.db.select({ at: clientSecrets.lastUsedAt }).from(clientSecrets).where(eq(clientSecrets.id, secretId)))[0]?.at,
    key: (await handle.db.select({ at: clientPublicKeys.lastUsedAt }).from(clientPublicKeys).where(eq(clientPublicKeys.id, keyId)))[0]?.at,
    audiences: await handle.db
      .select({ audience: clientAudienceUsage.audience, count: clientAudienceUsage.requestCount, last: clientAudienceUsage.lastSeenAt })
      .from(clientAudienceUsage)
      .where(eq(clientAudienceUsage.clientId, uuid)),
    addresses: await handle.db
      .select({ address: clientAddresses.address, at: clientAddresses.lastSuccessAt })
      .from(clientAddresses)
      .where(eq(clientAddresses.clientId, clientId)),
  });

  it("records the secret's last use, the audience and the address for a secret, and nothing before the batch is written", async () => {
    const c = await provisionClient(ctx(), { audiences: [API, "https://b.example/"] });
    const k = await addKey(ctx(), c.clientId, "k");
    const first = clock;
    await token({ grant_type: "client_credentials" }, { authorization: basic(c.clientId, c.secret), "x-test-address": "203.0.113.7" });
    clock = new Date(first.getTime() + 5_000);
    await token({ grant_type: "client_credentials" }, { authorization: basic(c.clientId, c.secret) });
    await token({ grant_type: "client_credentials", audience: "https://b.example/" }, { authorization: basic(c.clientId, c.secret) });
    expect(await rows(c.clientId, c.uuid, c.secretId, k.keyId)).toEqual({ secret: null, key: null, audiences: [], addresses: [] });
    await machine.usage.flush();
    const after = await rows(c.clientId, c.uuid, c.secretId, k.keyId);
    after.audiences.sort((a, b) => a.audience.localeCompare(b.audience));
    expect(after).toEqual({
      secret: clock,
      key: null,
      audiences: [
        { audience: API, count: 2, last: clock },
        { audience: "https://b.example/", count: 1, last: clock },
      ],
      addresses: [{ address: "203.0.113.7", at: first }],
    });
  });

  it("records the key's last use, not the secret's, for private_key_jwt; a refused request records nothing", async () => {
    const c = await provisionClient(ctx());
    const k = await addKey(ctx(), c.clientId, "k");
    await token(
      { grant_type: "client_credentials", client_id: c.clientId, client_secret: `${c.secret}x` },
      { "x-test-address": "203.0.113.8" },
    );
    const res = await call("/oauth/token", {
      method: "POST",
      headers: FORM,
      body: jwtForm(await assertion(k.privateKey, { iss: c.clientId, sub: c.clientId, aud: ISSUER }, { kid: "k" })).toString(),
    });
    expect(res.status).toBe(200);
    await machine.usage.flush();
    expect(await rows(c.clientId, c.uuid, c.secretId, k.keyId)).toEqual({
      secret: null,
      key: clock,
      audiences: [{ audience: API, count: 1, last: clock }],
      addresses: [],
    });
  });
});

describe("introspection (RFC 7662)", () => {
  it("describes the caller's own live token with exactly the RFC 7662 2.2 members", async () => {
    const c = await provisionClient(ctx(), { ttl: 900 });
    const accessToken = await issued(c, { scope: "claims:write" });
    const claims = decodeJwt(accessToken);
    expect(await whole(await introspect({ token: accessToken }, { authorization: basic(c.clientId, c.secret) }))).toEqual({
      status: 200,
      headers: NO_STORE,
      body: {
        active: true,
        client_id: c.clientId,
        scope: "claims:write",
        token_type: "Bearer",
        exp: seconds(clock) + 900,
        iat: seconds(clock),
        sub: c.clientId,
        aud: API,
        iss: ISSUER,
        jti: claims.jti,
      },
    });
  });

  it("says only active: false for an expired token, another client's token and a string that is no token", async () => {
    const a = await provisionClient(ctx(), { ttl: 600 });
    const b = await provisionClient(ctx());
    const accessToken = await issued(a);
    const inactive = { status: 200, headers: NO_STORE, body: { active: false } };
    expect(await whole(await introspect({ token: accessToken }, { authorization: basic(b.clientId, b.secret) }))).toEqual(inactive);
    expect(await whole(await introspect({ token: "not.a.token" }, { authorization: basic(a.clientId, a.secret) }))).toEqual(inactive);
    clock = new Date(clock.getTime() + 601_000);
    expect(await whole(await introspect({ token: accessToken }, { authorization: basic(a.clientId, a.secret) }))).toEqual(inactive);
  });

  it("accepts a token for an audience the client may ask for even when the platform does not list it", async () => {
    const c = await provisionClient(ctx(), { audiences: ["https://own.example/"] });
    const accessToken = await issued(c);
    const res = await whole(await introspect({ token: accessToken }, { authorization: basic(c.clientId, c.secret) }));
    expect(res.body).toEqual(expect.objectContaining({ active: true, aud: "https://own.example/" }));
  });

  it("answers another method with 405, a missing token with invalid_request, and a failed authentication with the Basic challenge", async () => {
    const c = await provisionClient(ctx());
    expect(await whole(await call("/oauth/introspect", { method: "GET" }))).toEqual({
      status: 405,
      headers: { ...NO_STORE, allow: "POST, OPTIONS" },
      body: { error: "invalid_request", error_description: "The introspection endpoint accepts POST only." },
    });
    expect(await whole(await introspect({}, { authorization: basic(c.clientId, c.secret) }))).toEqual({
      status: 400,
      headers: NO_STORE,
      body: { error: "invalid_request", error_description: "The token parameter is missing." },
    });
    expect(await whole(await introspect({ token: "x" }, { authorization: basic(c.clientId, "wrong").replace(/^Basic/, "BASIC") }))).toEqual(
      {
        status: 401,
        headers: { ...NO_STORE, "www-authenticate": 'Basic realm="oauth", charset="UTF-8"' },
        body: { error: "invalid_client", error_description: "Client authentication failed." },
      },
    );
    expect(await whole(await introspect({ token: "x", client_id: c.clientId, client_secret: "wrong" }))).toEqual({
      status: 401,
      headers: NO_STORE,
      body: { error: "invalid_client", error_description: "Client authentication failed." },
    });
  });

  it("answers a database failure with a 503 the client may retry, logged by class and SQLSTATE only", async () => {
    const c = await provisionClient(ctx());
    const endpoint = createIntrospectionEndpoint({ ...depsWith(broken()), acceptedAudiences: async () => [] });
    const res = await endpoint(
      new Request(`${ISSUER}/oauth/introspect`, {
        method: "POST",
        headers: { ...FORM, authorization: basic(c.clientId, c.secret) },
        body: "token=x",
      }),
    );
    expect(await whole(res)).toEqual({
      status: 503,
      headers: { ...NO_STORE, "retry-after": "1" },
      body: { error: "server_error", error_description: "The server could not answer just now; try again." },
    });
    expect(logged).toEqual(["introspection: unexpected DrizzleQueryError (code 42P01)"]);
  });
});

describe("the protected API, whoami (RFC 6750)", () => {
  const JSON_NO_STORE = { "cache-control": "no-store", "content-type": "application/json" };
  const challenge = (error: string, description: string) =>
    `Bearer realm="${ISSUER}", error="${error}", error_description="${description}"`;

  it("answers a valid token, in any letter case of the scheme and with spaces around, with the client, its organisation, scope, aud and exp", async () => {
    const c = await provisionClient(ctx(), { ttl: 900, audiences: [] });
    const accessToken = await issued(c, { scope: "claims:read" });
    const expected = {
      status: 200,
      headers: JSON_NO_STORE,
      body: {
        client_id: c.clientId,
        organisation: { slug: org.slug, name: "Northwind Insurance" },
        scope: "claims:read",
        aud: OWN_API,
        exp: seconds(clock) + 900,
      },
    };
    for (const authorization of [`Bearer ${accessToken}`, `bearer ${accessToken}`, `  Bearer ${accessToken} `]) {
      expect(await whole(await whoami(authorization)), authorization.slice(0, 8)).toEqual(expected);
    }
    expect((await whoami(`Bearer ${accessToken}`, "HEAD")).status).toBe(200);
  });

  it("answers no credentials with a bare challenge and no error code (RFC 6750 3.1)", async () => {
    for (const authorization of [undefined, ""]) {
      expect(await whole(await whoami(authorization))).toEqual({
        status: 401,
        headers: { ...JSON_NO_STORE, "www-authenticate": `Bearer realm="${ISSUER}"` },
        body: { error_description: "Send an access token: Authorization: Bearer <token>." },
      });
    }
  });

  it("answers an Authorization header that is not one Bearer token with 400 invalid_request", async () => {
    const description = "The Authorization header must be: Bearer <token>.";
    for (const authorization of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", "Bearer a=b", "xBearer abc"]) {
      expect(await whole(await whoami(authorization)), authorization).toEqual({
        status: 400,
        headers: { ...JSON_NO_STORE, "www-authenticate": challenge("invalid_request", description) },
        body: { error: "invalid_request", error_description: description },
      });
    }
  });

  it("reads every b64token of RFC 6750 2.1 as a token, so one that is no JWT is an invalid_token, not a malformed header", async () => {
    const description = "The access token is malformed or its signature does not verify.";
    for (const b64token of ["aZ09-._~+/", "abc=", "abc=="]) {
      expect(await whole(await whoami(`Bearer ${b64token}`)), b64token).toEqual({
        status: 401,
        headers: { ...JSON_NO_STORE, "www-authenticate": challenge("invalid_token", description) },
        body: { error: "invalid_token", error_description: description },
      });
    }
  });

  it("answers an expired token, a token for another API and a token of a disabled client with 401 invalid_token and the reason", async () => {
    const c = await provisionClient(ctx(), { ttl: 600, audiences: [OWN_API, "https://elsewhere.example/"] });
    const live = await issued(c);
    const elsewhere = await issued(c, { audience: "https://elsewhere.example/" });
    const disabled = await disabledClient();
    const orphan = await signAccessToken(
      await machine.keys.get(clock),
      "ES256",
      { issuer: ISSUER, clientId: disabled.clientId, audience: OWN_API, scope: "", ttlSeconds: 600 },
      clock,
    );
    const refused = (description: string) => ({
      status: 401,
      headers: { ...JSON_NO_STORE, "www-authenticate": challenge("invalid_token", description) },
      body: { error: "invalid_token", error_description: description },
    });
    expect(await whole(await whoami(`Bearer ${elsewhere}`))).toEqual(refused("The access token's aud is not accepted here."));
    expect(await whole(await whoami(`Bearer ${orphan}`))).toEqual(refused("The client this token was issued to no longer exists."));
    clock = new Date(clock.getTime() + 601_000);
    expect(await whole(await whoami(`Bearer ${live}`))).toEqual(refused("The access token has expired."));
  });

  it("answers any other method with 405 and Allow: GET", async () => {
    for (const method of ["POST", "PUT"]) {
      expect(await whole(await whoami(undefined, method)), method).toEqual({
        status: 405,
        headers: { "content-type": "application/json", allow: "GET, HEAD, OPTIONS" },
        body: { error: "invalid_request", error_description: "Use GET." },
      });
    }
  });

  it("answers a database failure with 503 temporarily_unavailable and Retry-After, logged by class and SQLSTATE only", async () => {
    const c = await provisionClient(ctx(), { audiences: [] });
    const accessToken = await issued(c);
    const endpoint = createWhoamiEndpoint({
      issuer: ISSUER,
      keys: machine.keys,
      store: broken(),
      acceptedAudiences: async () => [OWN_API],
      now: () => clock,
      log: (line) => logged.push(line),
    });
    const res = await endpoint(new Request(`${ISSUER}/api/v1/whoami`, { headers: { authorization: `Bearer ${accessToken}` } }));
    expect(await whole(res)).toEqual({
      status: 503,
      headers: { "content-type": "application/json", "retry-after": "1" },
      body: { error: "temporarily_unavailable" },
    });
    expect(logged).toEqual(["whoami: unexpected DrizzleQueryError (code 42P01)"]);
  });
});

describe("the machine's other paths", () => {
  it("publishes the JWKS for five minutes to GET and HEAD, and refuses other methods", async () => {
    const jwks = (await machine.keys.get(clock)).jwks;
    // Cacheable, said once: no Pragma: no-cache beside the max-age.
    const published = {
      status: 200,
      headers: { "content-type": NO_STORE["content-type"], "cache-control": "public, max-age=300" },
      body: jwks,
    };
    expect(await whole(await call("/.well-known/jwks.json"))).toEqual(published);
    expect((await call("/.well-known/jwks.json", { method: "HEAD" })).status).toBe(200);
    expect(await whole(await call("/.well-known/jwks.json", { method: "POST" }))).toEqual({
      status: 405,
      headers: { ...NO_STORE, allow: "GET, HEAD, OPTIONS" },
      body: { error: "invalid_request", error_description: "Use GET." },
    });
  });

  it("publishes the RFC 8414 metadata for an hour, and issues for the legacy audience (the token endpoint URL) when the client's switch is on", async () => {
    expect(await whole(await call("/.well-known/oauth-authorization-server"))).toEqual({
      status: 200,
      headers: { "content-type": NO_STORE["content-type"], "cache-control": "public, max-age=3600" },
      body: authorizationServerMetadata(ISSUER),
    });
    const c = await provisionClient(ctx(), { legacyAudience: true });
    const k = await addKey(ctx(), c.clientId, "k");
    const signed = await assertion(k.privateKey, { iss: c.clientId, sub: c.clientId, aud: `${ISSUER}/oauth/token` }, { kid: "k" });
    expect((await call("/oauth/token", { method: "POST", headers: FORM, body: jwtForm(signed).toString() })).status).toBe(200);
  });

  it("accepts at whoami the platform's own API, its listed audiences and its API endpoint, read again after a minute", async () => {
    const own = createMachine({ db: handle.db, keyRing, issuer: ISSUER, now: () => clock, background: false, log: () => {} });
    try {
      const settings = {
        serviceName: "Rotor",
        apiEndpoint: "https://endpoint.example/",
        maxValidityDays: 365,
        allowedAudiences: ["https://listed.example/"],
        adminsMayDesignateSpoc: false,
        spocsMaySetJwksUri: true,
        spocsMaySetLegacyAudience: false,
      };
      await savePlatformSettings(handle.db, settings, clock);
      const c = await provisionClient(ctx(), {
        audiences: ["https://endpoint.example/", "https://listed.example/", "https://unlisted.example/"],
      });
      const none = await provisionClient(ctx(), { audiences: [] });
      const at = async (audience: string) => (await issued(c, { audience })) as string;
      const tokens = {
        endpoint: await at("https://endpoint.example/"),
        listed: await at("https://listed.example/"),
        unlisted: await at("https://unlisted.example/"),
        platform: await issued(none),
      };
      const status = async (accessToken: string) =>
        (
          await own.routes["/api/v1/whoami"](
            new Request(`${ISSUER}/api/v1/whoami`, { headers: { authorization: `Bearer ${accessToken}` } }),
          )
        ).status;
      const statuses = async () => ({
        endpoint: await status(tokens.endpoint),
        listed: await status(tokens.listed),
        unlisted: await status(tokens.unlisted),
        platform: await status(tokens.platform),
      });
      expect(await statuses()).toEqual({ endpoint: 200, listed: 200, unlisted: 401, platform: 200 });
      await savePlatformSettings(handle.db, { ...settings, apiEndpoint: null, allowedAudiences: [] }, clock);
      const start = clock;
      clock = new Date(start.getTime() + 60_000);
      expect(await statuses()).toEqual({ endpoint: 200, listed: 200, unlisted: 401, platform: 200 });
      clock = new Date(start.getTime() + 60_001);
      expect(await statuses()).toEqual({ endpoint: 401, listed: 401, unlisted: 401, platform: 200 });
    } finally {
      await own.stop();
      await savePlatformSettings(
        handle.db,
        {
          serviceName: "Rotor",
          apiEndpoint: null,
          maxValidityDays: 365,
          allowedAudiences: [],
          adminsMayDesignateSpoc: false,
          spocsMaySetJwksUri: true,
          spocsMaySetLegacyAudience: false,
        },
        clock,
      );
    }
  });
});

describe("the Dev Tools assertion checker, whole verdicts", () => {
  it("says a disabled client is disabled", async () => {
    const c = await provisionClient(ctx());
    const k = await addKey(ctx(), c.clientId, "k");
    const disabled = await disabledClient();
    const signed = await assertion(k.privateKey, { iss: disabled.clientId, sub: disabled.clientId, aud: ISSUER }, { kid: "k" });
    expect(await checkAssertion(handle.db, org, { assertion: signed }, { issuer: ISSUER, now: new Date() })).toEqual({
      ok: false,
      error: "invalid_client",
      description: "This client is disabled.",
    });
  });

  it("checks aud as the token endpoint does: the token endpoint URL only for a client with the legacy switch on", async () => {
    const verdicts = [];
    for (const legacyAudience of [true, false]) {
      const c = await provisionClient(ctx(), { legacyAudience });
      const k = await addKey(ctx(), c.clientId, "k");
      const signed = await assertion(k.privateKey, { iss: c.clientId, sub: c.clientId, aud: `${ISSUER}/oauth/token` }, { kid: "k" });
      const verdict = await checkAssertion(handle.db, org, { assertion: signed }, { issuer: ISSUER, now: new Date() });
      verdicts.push(verdict.ok);
    }
    expect(verdicts).toEqual([true, false]);
  });

  it("accepts a pasted assertion with spaces around it, naming the client, the key and what checking does not do", async () => {
    const c = await provisionClient(ctx());
    const k = await addKey(ctx(), c.clientId, "key-one");
    const signed = await assertion(k.privateKey, { iss: c.clientId, sub: c.clientId, aud: ISSUER, jti: randomUUID() }, { kid: "key-one" });
    expect(await checkAssertion(handle.db, org, { assertion: `  ${signed}\n` }, { issuer: ISSUER, now: new Date() })).toEqual({
      ok: true,
      clientId: c.clientId,
      keyKid: "key-one",
      message: "The token endpoint would accept this assertion (its jti has not been used; checking it here does not use it up).",
    });
  });
});

describe("the Dev Tools assertion checker, the rest", () => {
  it("names the key that signed, among several", async () => {
    const c = await provisionClient(ctx());
    await addKey(ctx(), c.clientId, "first");
    const second = await addKey(ctx(), c.clientId, "second");
    const signed = await assertion(second.privateKey, { iss: c.clientId, sub: c.clientId, aud: ISSUER }, { kid: "second" });
    expect(await checkAssertion(handle.db, org, { assertion: signed }, { issuer: ISSUER, now: new Date() })).toEqual(
      expect.objectContaining({ ok: true, keyKid: "second" }),
    );
  });

  it("says a used jti has been used, as the token endpoint would", async () => {
    const c = await provisionClient(ctx());
    const k = await addKey(ctx(), c.clientId, "k");
    const jti = randomUUID();
    const signed = await assertion(k.privateKey, { iss: c.clientId, sub: c.clientId, aud: ISSUER, jti }, { kid: "k" });
    await createTokenStore(handle.db).consumeJti(c.clientId, jti, new Date(Date.now() + 600_000));
    expect(await checkAssertion(handle.db, org, { assertion: signed }, { issuer: ISSUER, now: new Date() })).toEqual({
      ok: false,
      error: "invalid_client",
      description: "This assertion's jti has already been used: sign a new assertion for every request.",
    });
  });

  it("lets an error that is not the assertion's fault through, rather than calling it a verdict", async () => {
    const c = await provisionClient(ctx());
    const k = await addKey(ctx(), c.clientId, "k");
    const signed = await assertion(k.privateKey, { iss: c.clientId, sub: c.clientId, aud: ISSUER }, { kid: "k" });
    const gone = await createTestDatabase();
    await gone.close();
    await expect(checkAssertion(gone.db, org, { assertion: signed }, { issuer: ISSUER, now: new Date() })).rejects.toThrow();
  });

  it("asks for an assertion, and refuses one or a type that is far too long", () => {
    const issues = (input: unknown) => {
      const parsed = assertionCheckInput.safeParse(input);
      return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join("."), i.message]);
    };
    expect(issues({ assertion: "" })).toEqual([["assertion", "Paste a client_assertion (a signed JWT)."]]);
    expect(issues({ assertion: "a".repeat(20_001) })).toEqual([["assertion", "That is far too long for an assertion."]]);
    expect(issues({ assertion: "a.b.c", assertionType: "t".repeat(201) })).toEqual([
      ["assertionType", "A client_assertion_type is under 200 characters."],
    ]);
    expect(issues({ assertion: "a".repeat(20_000), assertionType: "t".repeat(200) })).toEqual([]);
  });
});
