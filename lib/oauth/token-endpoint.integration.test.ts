import { randomBytes, randomUUID } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { createTestDatabase } from "@/db/testing/test-database";
import { disableClient } from "@/lib/clients/disable-client";
import { enableClient } from "@/lib/clients/enable-client";
import { updateClientSettings } from "@/lib/clients/update-client-settings";
import { revokePublicKey } from "@/lib/credentials/revoke-public-key";
import { revokeSecret } from "@/lib/credentials/revoke-secret";
import { rotateSecret } from "@/lib/credentials/rotate-secret";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug, type OrganisationDto } from "@/lib/data/organisations";
import { createTokenStore, type TokenStore } from "@/lib/data/token-store";
import { ASSERTION_NOT_VERIFIED } from "./client-assertion";
import { UNGUARDED } from "./client-authentication";
import { JWT_BEARER_GRANT_TYPE } from "./constants";
import { createMachine, type Machine } from "./machine";
import {
  addEcKey,
  addKey,
  assertion,
  basic,
  cliContext,
  directMount,
  httpMount,
  jwtForm,
  type Mount,
  provisionClient,
  typoOf,
} from "./testing";
import { createTokenEndpoint } from "./token-endpoint";

const ISSUER = "https://auth.rotor.test";
const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
let handle: DatabaseHandle;
let machine: Machine;
let org: OrganisationDto;
let clock: Date | null = null;
const logged: string[] = [];
const mounts: Mount[] = [];

beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db, { now: new Date(), keyRing });
  org = (await findOrganisationBySlug(handle.db, "northwind"))!;
  machine = createMachine({
    db: handle.db,
    keyRing,
    issuer: ISSUER,
    now: () => clock ?? new Date(),
    background: false,
    log: (l) => logged.push(l),
  });
  mounts.push(directMount(machine, ISSUER), await httpMount(machine, ISSUER));
});
afterAll(async () => {
  for (const m of mounts) await m.close();
  await machine?.stop();
  await handle?.close();
});

const ctx = () => cliContext(handle.db, org, keyRing);
const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const FORM = { "content-type": "application/x-www-form-urlencoded" };
/** Headers that differ on every answer by design: the connection's, and the request id (docs/observability.md). */
const PER_RESPONSE_HEADERS = new Set(["date", "keep-alive", "connection", "x-request-id"]);
/** A whole response, for comparing two byte for byte (the headers that differ per answer aside). */
async function whole(res: Response) {
  const headers = [...res.headers.entries()].filter(([k]) => !PER_RESPONSE_HEADERS.has(k));
  return { status: res.status, headers, body: await res.text() };
}
const NUL = "\u0000";

describe.each([0, 1])("the token endpoint, mount %#", (index) => {
  const mount = () => mounts[index]!;
  const post = (body: URLSearchParams | string, headers: Record<string, string> = {}) =>
    mount().fetch("/oauth/token", {
      method: "POST",
      headers: { ...FORM, ...headers },
      body: typeof body === "string" ? body : body.toString(),
    });

  describe("client authentication with a secret", () => {
    it("issues a token with client_secret_basic", async () => {
      const c = await provisionClient(ctx());
      const res = await post(form({ grant_type: "client_credentials" }), { authorization: basic(c.clientId, c.secret) });
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = await res.json();
      expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "claims:read claims:write" });
    });

    it("issues a token with client_secret_post", async () => {
      const c = await provisionClient(ctx());
      const res = await post(form({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.secret }));
      expect(res.status).toBe(200);
    });

    it("form-urlencodes the id and secret inside Basic before base64 (RFC 6749 2.3.1)", async () => {
      const c = await provisionClient(ctx());
      const encoded = `${[...c.clientId].map((ch) => `%${ch.charCodeAt(0).toString(16)}`).join("")}:${c.secret}`;
      const res = await post(form({ grant_type: "client_credentials" }), {
        authorization: `Basic ${Buffer.from(encoded).toString("base64")}`,
      });
      expect(res.status).toBe(200);
    });

    it("answers an unknown client and a wrong secret byte for byte the same", async () => {
      const c = await provisionClient(ctx());
      const other = await provisionClient(ctx());
      const wrongSecret = await post(form({ grant_type: "client_credentials", client_id: c.clientId, client_secret: other.secret }));
      const unknown = await post(form({ grant_type: "client_credentials", client_id: "unknownclient1234", client_secret: other.secret }));
      const typo = await post(form({ grant_type: "client_credentials", client_id: c.clientId, client_secret: typoOf(c.secret) }));
      const strip = (r: Response) => [...r.headers.entries()].filter(([k]) => !PER_RESPONSE_HEADERS.has(k));
      const bodies = await Promise.all([wrongSecret, unknown, typo].map((r) => r.text()));
      expect(new Set(bodies).size).toBe(1);
      expect(wrongSecret.status).toBe(401);
      expect(strip(unknown)).toEqual(strip(wrongSecret));
      expect(strip(typo)).toEqual(strip(wrongSecret));
      expect(bodies[0]).not.toContain(other.secret);
    });

    it("answers a disabled client exactly like an unknown one, with every authentication method, and serves it again once enabled", async () => {
      const c = await provisionClient(ctx());
      const k = await addKey(ctx(), c.clientId, "k");
      const viaPost = (id: string) => post(form({ grant_type: "client_credentials", client_id: id, client_secret: c.secret }));
      const viaBasic = (id: string) => post(form({ grant_type: "client_credentials" }), { authorization: basic(id, c.secret) });
      const viaJwt = async (id: string) => post(jwtForm(await assertion(k.privateKey, { iss: id, sub: id, aud: ISSUER }, { kid: "k" })));
      await disableClient(ctx(), { clientId: c.clientId });
      const unknown = "unknownclient1234";
      for (const via of [viaPost, viaBasic, viaJwt]) {
        const refused = await whole(await via(c.clientId));
        expect(refused.status).toBe(401);
        expect(JSON.parse(refused.body)).toEqual({
          error: "invalid_client",
          error_description: via === viaJwt ? ASSERTION_NOT_VERIFIED : "Client authentication failed.",
        });
        expect(refused).toEqual(await whole(await via(unknown)));
      }
      await enableClient(ctx(), { clientId: c.clientId });
      for (const via of [viaPost, viaBasic, viaJwt]) expect((await via(c.clientId)).status).toBe(200);
    });

    it("answers a failed Basic authentication with 401 and a Basic challenge", async () => {
      const c = await provisionClient(ctx());
      const res = await post(form({ grant_type: "client_credentials" }), { authorization: basic(c.clientId, "rtr_cs_wrong") });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
      expect((await res.json()).error).toBe("invalid_client");
    });

    it("refuses more than one authentication method as invalid_request, and none as invalid_client", async () => {
      const c = await provisionClient(ctx());
      const both = await post(form({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.secret }), {
        authorization: basic(c.clientId, c.secret),
      });
      expect(both.status).toBe(400);
      expect(await both.json()).toMatchObject({ error: "invalid_request", error_description: expect.stringMatching(/exactly one/) });
      const none = await post(form({ grant_type: "client_credentials", client_id: c.clientId }));
      expect(none.status).toBe(401);
      expect((await none.json()).error).toBe("invalid_client");
    });

    it("accepts both live secrets during the overlap, and refuses a revoked one", async () => {
      const c = await provisionClient(ctx());
      const { secret: second } = await rotateSecret(ctx(), { clientId: c.clientId, compromised: false });
      for (const s of [c.secret, second.value]) {
        expect((await post(form({ grant_type: "client_credentials", client_id: c.clientId, client_secret: s }))).status).toBe(200);
      }
      await revokeSecret(ctx(), { clientId: c.clientId, secretId: c.secretId });
      expect((await post(form({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.secret }))).status).toBe(401);
      expect((await post(form({ grant_type: "client_credentials", client_id: c.clientId, client_secret: second.value }))).status).toBe(200);
    });

    it("refuses a secret after the end of its expiry day", async () => {
      const c = await provisionClient(ctx());
      clock = new Date(Date.now() + 182 * 86_400_000);
      try {
        expect((await post(form({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.secret }))).status).toBe(401);
      } finally {
        clock = null;
      }
    });
  });

  describe("private_key_jwt (RFC 7523, RFC 10070)", () => {
    const claims = (clientId: string, extra: Record<string, unknown> = {}) => ({ iss: clientId, sub: clientId, aud: ISSUER, ...extra });

    it("issues a token for an RS256 assertion signed by a registered key, chosen by kid", async () => {
      const c = await provisionClient(ctx());
      const a = await addKey(ctx(), c.clientId, "key-a");
      const b = await addKey(ctx(), c.clientId, "key-b", 4096);
      for (const k of [a, b]) {
        const res = await post(jwtForm(await assertion(k.privateKey, claims(c.clientId), { kid: k.kid })));
        expect(res.status, k.kid).toBe(200);
      }
    });

    it("names the right client_assertion_type when the seed's grant-type URN is sent", async () => {
      const c = await provisionClient(ctx());
      const k = await addKey(ctx(), c.clientId, "k");
      const res = await post(
        jwtForm(await assertion(k.privateKey, claims(c.clientId), { kid: "k" }), { client_assertion_type: JWT_BEARER_GRANT_TYPE }),
      );
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error).toBe("invalid_request");
      expect(body.error_description).toContain("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    });

    it("never accepts alg none or an HMAC", async () => {
      const c = await provisionClient(ctx());
      await addKey(ctx(), c.clientId, "k");
      const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
      const now = Math.floor(Date.now() / 1000);
      const payload = enc({ ...claims(c.clientId), iat: now, exp: now + 60, jti: randomUUID() });
      for (const alg of ["none", "HS256"]) {
        const res = await post(jwtForm(`${enc({ alg, kid: "k" })}.${payload}.${alg === "none" ? "" : "c2ln"}`));
        expect(res.status, alg).toBe(401);
        expect((await res.json()).error_description).toMatch(/never accepted/);
      }
    });

    it("requires iss and sub to be the client_id", async () => {
      const c = await provisionClient(ctx());
      const k = await addKey(ctx(), c.clientId, "k");
      const res = await post(jwtForm(await assertion(k.privateKey, claims(c.clientId, { iss: "someone-else" }), { kid: "k" })));
      expect((await res.json()).error_description).toMatch(/iss and sub must both be your client_id/);
    });

    it("requires aud to be exactly the issuer identifier: a trailing slash or the token endpoint URL is refused", async () => {
      const c = await provisionClient(ctx());
      const k = await addKey(ctx(), c.clientId, "k");
      const slash = await post(jwtForm(await assertion(k.privateKey, claims(c.clientId, { aud: `${ISSUER}/` }), { kid: "k" })));
      expect((await slash.json()).error_description).toMatch(/trailing slash/);
      const endpoint = await post(
        jwtForm(await assertion(k.privateKey, claims(c.clientId, { aud: `${ISSUER}/oauth/token` }), { kid: "k" })),
      );
      expect(endpoint.status).toBe(401);
      expect((await endpoint.json()).error_description).toMatch(/RFC 10070/);
    });

    it("accepts the token endpoint URL as aud only for a client with the legacy switch on", async () => {
      const c = await provisionClient(ctx(), { legacyAudience: true });
      const k = await addKey(ctx(), c.clientId, "k");
      const res = await post(jwtForm(await assertion(k.privateKey, claims(c.clientId, { aud: `${ISSUER}/oauth/token` }), { kid: "k" })));
      expect(res.status).toBe(200);
    });

    it("requires exp, at most 300 s after iat, not past; iat and nbf not in the future", async () => {
      const c = await provisionClient(ctx());
      const k = await addKey(ctx(), c.clientId, "k");
      const now = Math.floor(Date.now() / 1000);
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ exp: undefined }, /exp is required/],
        [{ iat: now, exp: now + 301 }, /at most 300 s/],
        [{ iat: now - 400, exp: now - 100 }, /expired/],
        [{ iat: now + 120, exp: now + 200 }, /iat is in the future/],
        [{ nbf: now + 120 }, /nbf is in the future/],
      ];
      for (const [extra, reason] of cases) {
        const res = await post(jwtForm(await assertion(k.privateKey, claims(c.clientId, extra), { kid: "k" })));
        expect(res.status, String(reason)).toBe(401);
        expect((await res.json()).error_description).toMatch(reason);
      }
      const ok = await post(jwtForm(await assertion(k.privateKey, claims(c.clientId, { iat: now, exp: now + 300 }), { kid: "k" })));
      expect(ok.status).toBe(200);
    });

    it("requires a jti and accepts each jti once", async () => {
      const c = await provisionClient(ctx());
      const k = await addKey(ctx(), c.clientId, "k");
      const noJti = await post(jwtForm(await assertion(k.privateKey, claims(c.clientId, { jti: undefined }), { kid: "k" })));
      expect((await noJti.json()).error_description).toMatch(/jti is required/);
      const token = await assertion(k.privateKey, claims(c.clientId), { kid: "k" });
      expect((await post(jwtForm(token))).status).toBe(200);
      const replay = await post(jwtForm(token));
      expect(replay.status).toBe(401);
      expect((await replay.json()).error_description).toMatch(/already been used/);
    });

    it("refuses an unknown kid, a revoked key, and a missing kid when two keys are active", async () => {
      const c = await provisionClient(ctx());
      const a = await addKey(ctx(), c.clientId, "a");
      await addKey(ctx(), c.clientId, "b");
      const before = logged.length;
      const unknown = await post(jwtForm(await assertion(a.privateKey, claims(c.clientId), { kid: "zzz" })));
      expect(await unknown.json()).toEqual({ error: "invalid_client", error_description: ASSERTION_NOT_VERIFIED });
      const noKid = await post(jwtForm(await assertion(a.privateKey, claims(c.clientId))));
      expect(await noKid.json()).toEqual({ error: "invalid_client", error_description: ASSERTION_NOT_VERIFIED });
      // The precise reasons are the operator's, in the log.
      expect(logged.slice(before)).toEqual([
        "token endpoint: invalid_client: No active key with kid zzz is registered for this client.",
        "token endpoint: invalid_client: This client has two active keys: put the signing key's kid in the assertion's header.",
      ]);
      await revokePublicKey(ctx(), { clientId: c.clientId, keyId: a.keyId });
      const revoked = await post(jwtForm(await assertion(a.privateKey, claims(c.clientId), { kid: "a" })));
      expect(revoked.status).toBe(401);
    });

    it("tells an anonymous caller nothing about which clients exist or what keys they have, before the signature verifies", async () => {
      const withKey = await provisionClient(ctx());
      const k = await addKey(ctx(), withKey.clientId, "k");
      const withoutKey = await provisionClient(ctx());
      const stranger = await addKey(ctx(), (await provisionClient(ctx())).clientId, "k");
      const answers = [
        // An unknown client; a client without keys; an unknown kid; a key of the other type; a bad signature.
        await post(jwtForm(await assertion(k.privateKey, claims("noSuchClient123"), { kid: "k" }))),
        await post(jwtForm(await assertion(k.privateKey, claims(withoutKey.clientId), { kid: "k" }))),
        await post(jwtForm(await assertion(k.privateKey, claims(withKey.clientId), { kid: "other" }))),
        await post(jwtForm(await assertion(stranger.privateKey, claims(withKey.clientId), { kid: "k" }))),
      ];
      const bodies = await Promise.all(answers.map(async (a) => ({ status: a.status, body: await a.json() })));
      for (const b of bodies)
        expect(b).toEqual({ status: 401, body: { error: "invalid_client", error_description: ASSERTION_NOT_VERIFIED } });
    });

    it("keeps every error_description within RFC 6749 5.2's characters, whatever the request echoed", async () => {
      const c = await provisionClient(ctx());
      const k = await addKey(ctx(), c.clientId, "k");
      const odd = 'q"u\\o\u00e9\u0007';
      const requests = [
        form({ grant_type: "client_credentials", scope: odd }),
        form({ grant_type: "client_credentials", audience: `https://x/${odd}` }),
        form({ grant_type: odd }),
        form({ grant_type: "client_credentials", client_assertion_type: odd, client_assertion: "a.b.c" }),
        jwtForm(await assertion(k.privateKey, claims(c.clientId, { aud: `${ISSUER}/` }), { kid: "k" })),
        jwtForm(await assertion(k.privateKey, claims(c.clientId, { aud: odd }), { kid: "k" })),
        jwtForm(await assertion(k.privateKey, claims(c.clientId, { jti: odd }), { kid: "k" })),
        jwtForm(await assertion(k.privateKey, claims(c.clientId), { kid: odd })),
        `${form({ grant_type: "client_credentials" }).toString()}&grant_type=x`,
      ];
      const allowed = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
      for (const body of requests) {
        const res = await post(body, { authorization: basic(c.clientId, c.secret) });
        const { error_description } = (await res.json()) as { error_description?: string };
        expect({ body: String(body).slice(0, 60), ok: allowed.test(error_description ?? "") }).toEqual({
          body: String(body).slice(0, 60),
          ok: true,
        });
      }
    });

    it("refuses an assertion signed by another key than the registered one", async () => {
      const c = await provisionClient(ctx());
      await addKey(ctx(), c.clientId, "k");
      const other = await addKey(ctx(), (await provisionClient(ctx())).clientId, "k");
      const res = await post(jwtForm(await assertion(other.privateKey, claims(c.clientId), { kid: "k" })));
      expect(await res.json()).toEqual({ error: "invalid_client", error_description: ASSERTION_NOT_VERIFIED });
      expect(logged.at(-1)).toBe("token endpoint: invalid_client: The assertion's signature does not verify with the registered key.");
    });

    it("issues a token for an ES256 assertion signed by a registered EC P-256 key, beside an RSA key", async () => {
      const c = await provisionClient(ctx());
      await addKey(ctx(), c.clientId, "rsa");
      const ec = await addEcKey(ctx(), c.clientId, "ec");
      const res = await post(jwtForm(await assertion(ec.privateKey, claims(c.clientId), { alg: "ES256", kid: "ec" })));
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toEqual({
        access_token: expect.any(String),
        token_type: "Bearer",
        expires_in: 3600,
        scope: "claims:read claims:write",
      });
      // The only key, no kid: chosen all the same.
      const only = await provisionClient(ctx());
      const single = await addEcKey(ctx(), only.clientId, "only");
      expect((await post(jwtForm(await assertion(single.privateKey, claims(only.clientId), { alg: "ES256" })))).status).toBe(200);
    });

    it("never lets an RSA key verify ES256 or an EC key RS256 or PS256: the answer is that of any signature that does not verify", async () => {
      const c = await provisionClient(ctx());
      const rsa = await addKey(ctx(), c.clientId, "rsa");
      const ec = await addEcKey(ctx(), c.clientId, "ec");
      const stranger = await addEcKey(ctx(), (await provisionClient(ctx())).clientId, "ec");
      // The reference: a well-formed ES256 assertion signed by a key the client never registered.
      const wrongKey = await whole(
        await post(jwtForm(await assertion(stranger.privateKey, claims(c.clientId), { alg: "ES256", kid: "ec" }))),
      );
      expect(wrongKey).toMatchObject({ status: 401 });
      expect(JSON.parse(wrongKey.body)).toEqual({ error: "invalid_client", error_description: ASSERTION_NOT_VERIFIED });
      const mismatched = [
        await assertion(ec.privateKey, claims(c.clientId), { alg: "ES256", kid: "rsa" }),
        await assertion(rsa.privateKey, claims(c.clientId), { alg: "RS256", kid: "ec" }),
        await assertion(rsa.privateKey, claims(c.clientId), { alg: "PS256", kid: "ec" }),
      ];
      for (const token of mismatched) {
        expect(await whole(await post(jwtForm(token))), decodeProtectedHeader(token).alg).toEqual(wrongKey);
      }
    });

    it("lets exactly one of many parallel requests with the same assertion through", async () => {
      const c = await provisionClient(ctx());
      const k = await addKey(ctx(), c.clientId, "k");
      const token = await assertion(k.privateKey, claims(c.clientId), { kid: "k" });
      const results = await Promise.all(Array.from({ length: 20 }, () => post(jwtForm(token))));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 401)).toHaveLength(19);
    });
  });

  describe("scope and audience", () => {
    it("grants a requested subset of scopes and refuses one the client may not have", async () => {
      const c = await provisionClient(ctx());
      const ok = await post(form({ grant_type: "client_credentials", scope: "claims:read" }), {
        authorization: basic(c.clientId, c.secret),
      });
      expect((await ok.json()).scope).toBe("claims:read");
      const bad = await post(form({ grant_type: "client_credentials", scope: "admin" }), { authorization: basic(c.clientId, c.secret) });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toBe("invalid_scope");
    });

    it("issues for an allowed audience or resource, and refuses any other with invalid_target", async () => {
      const c = await provisionClient(ctx(), { audiences: ["https://a.example/", "https://b.example/"] });
      const auth = { authorization: basic(c.clientId, c.secret) };
      for (const field of ["audience", "resource"]) {
        const res = await post(form({ grant_type: "client_credentials", [field]: "https://b.example/" }), auth);
        const { access_token } = await res.json();
        expect(JSON.parse(Buffer.from(access_token.split(".")[1], "base64url").toString()).aud).toBe("https://b.example/");
        const bad = await post(form({ grant_type: "client_credentials", [field]: "https://evil.example/" }), auth);
        expect((await bad.json()).error, field).toBe("invalid_target");
      }
      const differ = await post(
        form({ grant_type: "client_credentials", audience: "https://a.example/", resource: "https://b.example/" }),
        auth,
      );
      expect((await differ.json()).error).toBe("invalid_target");
    });
    it("gives the client's chosen default audience when none is named, and that default when named too", async () => {
      const aud = async (res: Response) =>
        JSON.parse(Buffer.from((await res.json()).access_token.split(".")[1], "base64url").toString()).aud as string;
      const c = await provisionClient(ctx(), { audiences: ["https://a.example/", "https://b.example/"] });
      await updateClientSettings(ctx(), { clientId: c.clientId, defaultAudience: "https://b.example/" });
      const auth = { authorization: basic(c.clientId, c.secret) };
      expect(await aud(await post(form({ grant_type: "client_credentials" }), auth))).toBe("https://b.example/");
      expect(await aud(await post(form({ grant_type: "client_credentials", audience: "https://b.example/" }), auth))).toBe(
        "https://b.example/",
      );
      const bare = await provisionClient(ctx(), { audiences: [] });
      const bareAuth = { authorization: basic(bare.clientId, bare.secret) };
      expect(await aud(await post(form({ grant_type: "client_credentials" }), bareAuth))).toBe(`${ISSUER}/api/v1`);
      expect(await aud(await post(form({ grant_type: "client_credentials", resource: `${ISSUER}/api/v1` }), bareAuth))).toBe(
        `${ISSUER}/api/v1`,
      );
    });
  });

  describe("the access token (RFC 9068)", () => {
    it("is an at+jwt ES256 JWT with iss, sub, aud, exp, iat, jti, client_id and scope that verifies against the JWKS", async () => {
      const c = await provisionClient(ctx(), { ttl: 900 });
      const res = await post(form({ grant_type: "client_credentials" }), { authorization: basic(c.clientId, c.secret) });
      const { access_token, expires_in } = await res.json();
      expect(expires_in).toBe(900);
      const header = decodeProtectedHeader(access_token);
      expect(header).toMatchObject({ alg: "ES256", typ: "at+jwt" });
      const jwks = await (await mount().fetch("/.well-known/jwks.json")).json();
      const { payload } = await jwtVerify(access_token, createLocalJWKSet(jwks), { issuer: ISSUER, typ: "at+jwt" });
      expect(payload).toMatchObject({
        sub: c.clientId,
        client_id: c.clientId,
        aud: "https://api.claims-exchange.example/",
        scope: "claims:read claims:write",
      });
      expect(payload.exp! - payload.iat!).toBe(900);
      expect(typeof payload.jti).toBe("string");
    });

    it("is RS256 for a client whose resource servers need it", async () => {
      const c = await provisionClient(ctx(), { alg: "RS256" });
      const res = await post(form({ grant_type: "client_credentials" }), { authorization: basic(c.clientId, c.secret) });
      expect(decodeProtectedHeader((await res.json()).access_token).alg).toBe("RS256");
    });
  });

  describe("whatever arrives", () => {
    it("answers other methods with 405 JSON", async () => {
      const res = await mount().fetch("/oauth/token", { method: "GET" });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST, OPTIONS");
      expect(await res.json()).toEqual({ error: "invalid_request", error_description: "The token endpoint accepts POST only." });
    });

    it("answers OPTIONS on every machine path with what it allows, and no body", async () => {
      const allowed: Record<string, string> = {
        "/oauth/token": "POST, OPTIONS",
        "/oauth/introspect": "POST, OPTIONS",
        "/.well-known/oauth-authorization-server": "GET, HEAD, OPTIONS",
        "/.well-known/jwks.json": "GET, HEAD, OPTIONS",
        "/api/v1/whoami": "GET, HEAD, OPTIONS",
      };
      for (const [path, allow] of Object.entries(allowed)) {
        const res = await mount().fetch(path, { method: "OPTIONS" });
        expect({ path, status: res.status, allow: res.headers.get("allow"), body: await res.text() }).toEqual({
          path,
          status: 204,
          allow,
          body: "",
        });
      }
    });

    it("lets metadata and JWKS be cached, saying so once, and the token answer never", async () => {
      for (const [path, cacheControl] of [
        ["/.well-known/oauth-authorization-server", "public, max-age=3600"],
        ["/.well-known/jwks.json", "public, max-age=300"],
      ] as const) {
        const res = await mount().fetch(path);
        expect({ path, cacheControl: res.headers.get("cache-control"), pragma: res.headers.get("pragma") }).toEqual({
          path,
          cacheControl,
          pragma: null,
        });
      }
      const token = await mount().fetch("/oauth/token", { method: "POST", headers: FORM, body: "grant_type=client_credentials" });
      expect({ cacheControl: token.headers.get("cache-control"), pragma: token.headers.get("pragma") }).toEqual({
        cacheControl: "no-store",
        pragma: "no-cache",
      });
    });

    it("sends no scope member to a client that has no scopes, rather than an empty one", async () => {
      const { clientId, secret } = await provisionClient(ctx(), { scopes: [] });
      const res = await mount().fetch("/oauth/token", {
        method: "POST",
        headers: { ...FORM, authorization: basic(clientId, secret) },
        body: "grant_type=client_credentials",
      });
      expect(res.status).toBe(200);
      expect(Object.keys(await res.json()).sort()).toEqual(["access_token", "expires_in", "token_type"]);
    });

    it("refuses JSON, a huge body, a repeated parameter, bad percent-encoding and a missing or other grant type cleanly", async () => {
      const json = await mount().fetch("/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"grant_type":"client_credentials"}',
      });
      expect(json.status).toBe(400);
      const huge = await post(`grant_type=client_credentials&x=${"a".repeat(200_000)}`);
      expect([400, 413]).toContain(huge.status);
      expect((await huge.json()).error).toBe("invalid_request");
      const repeated = await post("grant_type=client_credentials&grant_type=client_credentials");
      expect((await repeated.json()).error_description).toMatch(/more than once/);
      const percent = await post("grant_type=%E0%A4%A");
      expect((await percent.json()).error_description).toMatch(/percent-encoding/);
      expect((await (await post("client_id=x")).json()).error_description).toMatch(/grant_type parameter is missing/);
      const c = await provisionClient(ctx());
      const other = await post(form({ grant_type: "password" }), { authorization: basic(c.clientId, c.secret) });
      expect((await other.json()).error).toBe("unsupported_grant_type");
    });

    it("answers a malformed client_id exactly like an unknown client, with every authentication method", async () => {
      const c = await provisionClient(ctx());
      const k = await addKey(ctx(), c.clientId, "k");
      const before = logged.length;
      const unknown = "unknownclient1234";
      const viaPost = (id: string) => post(form({ grant_type: "client_credentials", client_id: id, client_secret: c.secret }));
      const viaBasic = (id: string) => post(form({ grant_type: "client_credentials" }), { authorization: basic(id, c.secret) });
      const viaJwt = async (id: string) => post(jwtForm(await assertion(k.privateKey, { iss: id, sub: id, aud: ISSUER }, { kid: "k" })));
      const expected = {
        post: await whole(await viaPost(unknown)),
        basic: await whole(await viaBasic(unknown)),
        jwt: await whole(await viaJwt(unknown)),
      };
      expect(JSON.parse(expected.post.body)).toEqual({ error: "invalid_client", error_description: "Client authentication failed." });
      expect(expected.post.status).toBe(401);
      for (const id of [`${c.clientId}${NUL}`, NUL, `${NUL}' or 1=1 --`, "short", "x".repeat(65), "has a space", "ünïcödé-id"]) {
        expect(await whole(await viaPost(id)), JSON.stringify(id)).toEqual(expected.post);
        expect(await whole(await viaBasic(id)), JSON.stringify(id)).toEqual(expected.basic);
        expect(await whole(await viaJwt(id)), JSON.stringify(id)).toEqual(expected.jwt);
      }
      // Only the fixed reasons of the assertions, never the id that was sent.
      expect(new Set(logged.slice(before))).toEqual(
        new Set([
          "token endpoint: invalid_client: There is no enabled client with this client_id.",
          "token endpoint: invalid_client: The assertion's sub is not a well-formed client_id.",
        ]),
      );
    });

    it("refuses an assertion whose jti the database cannot store, saying why", async () => {
      const c = await provisionClient(ctx());
      const k = await addKey(ctx(), c.clientId, "k");
      const res = await post(
        jwtForm(await assertion(k.privateKey, { iss: c.clientId, sub: c.clientId, aud: ISSUER, jti: `a${NUL}b` }, { kid: "k" })),
      );
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: "invalid_client",
        error_description: "jti: Remove the NUL character (U+0000): text cannot contain it. A UUID is a good jti.",
      });
    });

    it("never answers with HTML or a stack trace, even to nonsense", async () => {
      const bodies = [
        "\u0000\u0001\u0002",
        "a=b&&&=&",
        "%",
        "client_assertion=a.b.c&client_assertion_type=x&grant_type=client_credentials",
      ];
      for (const body of bodies) {
        const res = await post(body);
        expect(res.status).toBeLessThan(500);
        expect(res.headers.get("content-type")).toContain("application/json");
        const text = await res.text();
        expect(text).not.toMatch(/<html|at \w+ \(/i);
      }
    });
  });

  describe("introspection (RFC 7662) and the protected API (RFC 6750)", () => {
    it("shows a client its own token as active and another client's as inactive", async () => {
      const a = await provisionClient(ctx());
      const b = await provisionClient(ctx());
      const { access_token } = await (
        await post(form({ grant_type: "client_credentials" }), { authorization: basic(a.clientId, a.secret) })
      ).json();
      const introspect = (c: { clientId: string; secret: string }) =>
        mount().fetch("/oauth/introspect", {
          method: "POST",
          headers: { ...FORM, authorization: basic(c.clientId, c.secret) },
          body: form({ token: access_token }).toString(),
        });
      expect(await (await introspect(a)).json()).toMatchObject({ active: true, client_id: a.clientId });
      expect(await (await introspect(b)).json()).toEqual({ active: false });
    });

    it("answers a malformed client_id at introspection exactly like an unknown client", async () => {
      const c = await provisionClient(ctx());
      const introspect = (id: string) =>
        mount().fetch("/oauth/introspect", {
          method: "POST",
          headers: FORM,
          body: form({ token: "x.y.z", client_id: id, client_secret: c.secret }).toString(),
        });
      const unknown = await whole(await introspect("unknownclient1234"));
      expect(unknown.status).toBe(401);
      for (const id of [`${c.clientId}${NUL}`, "short"]) expect(await whole(await introspect(id)), JSON.stringify(id)).toEqual(unknown);
    });

    it("whoami returns the client and organisation for a valid token and refuses others per RFC 6750", async () => {
      const c = await provisionClient(ctx());
      const { access_token } = await (
        await post(form({ grant_type: "client_credentials" }), { authorization: basic(c.clientId, c.secret) })
      ).json();
      const ok = await mount().fetch("/api/v1/whoami", { headers: { authorization: `Bearer ${access_token}` } });
      expect(await ok.json()).toMatchObject({ client_id: c.clientId, organisation: { slug: "northwind" } });
      const none = await mount().fetch("/api/v1/whoami");
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toBe(`Bearer realm="${ISSUER}"`);
      const tampered = await mount().fetch("/api/v1/whoami", { headers: { authorization: `Bearer ${access_token.slice(0, -4)}AAAA` } });
      expect(tampered.status).toBe(401);
      expect(tampered.headers.get("www-authenticate")).toContain('error="invalid_token"');
      clock = new Date(Date.now() + 2 * 3_600_000);
      try {
        const expired = await mount().fetch("/api/v1/whoami", { headers: { authorization: `Bearer ${access_token}` } });
        expect(expired.headers.get("www-authenticate")).toContain("expired");
      } finally {
        clock = null;
      }
    });
  });

  it("publishes RFC 8414 metadata", async () => {
    const res = await mount().fetch("/.well-known/oauth-authorization-server");
    expect(res.headers.get("cache-control")).toContain("max-age");
    expect(await res.json()).toMatchObject({
      issuer: ISSUER,
      token_endpoint: `${ISSUER}/oauth/token`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
    });
  });
});

describe("the database behind the token endpoint", () => {
  function endpointWith(store: TokenStore, lines: string[]) {
    return createTokenEndpoint({
      issuer: ISSUER,
      tokenEndpoint: `${ISSUER}/oauth/token`,
      store,
      keys: machine.keys,
      usage: machine.usage,
      defaultAudience: `${ISSUER}/api/v1`,
      now: () => new Date(),
      log: (line) => lines.push(line),
      guard: UNGUARDED,
      addressOf: () => null,
    });
  }
  const request = (fields: Record<string, string>) =>
    new Request(`${ISSUER}/oauth/token`, { method: "POST", headers: FORM, body: form(fields).toString() });

  it("is not asked about a malformed client_id at all", async () => {
    const real = createTokenStore(handle.db);
    const asked: string[] = [];
    const asking =
      <A extends unknown[], R>(look: (id: string, ...rest: A) => R) =>
      (id: string, ...rest: A) => {
        asked.push(id);
        return look(id, ...rest);
      };
    const counting: TokenStore = {
      findClientWithSecrets: asking(real.findClientWithSecrets),
      findClientWithKeys: asking(real.findClientWithKeys),
      consumeJti: real.consumeJti,
      findClient: asking(real.findClient),
    };
    const c = await provisionClient(ctx());
    const lines: string[] = [];
    const token = endpointWith(counting, lines);
    const res = await token(request({ grant_type: "client_credentials", client_id: `${c.clientId}${NUL}`, client_secret: c.secret }));
    expect(res.status).toBe(401);
    expect(asked).toEqual([]);
    expect((await token(request({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.secret }))).status).toBe(200);
    expect(asked).toEqual([c.clientId]);
    expect(lines).toEqual([]);
  });

  // A query that fails for real, carrying a parameter that must never reach the log.
  const failing = (query: (marker: string) => SQL) => {
    const marker = `param-${randomUUID()}`;
    const store: TokenStore = {
      ...createTokenStore(handle.db),
      findClientWithSecrets: async () => {
        await handle.db.execute(query(marker));
        return null;
      },
    };
    return { marker, store };
  };

  it("logs an unexpected database error by class and SQLSTATE only, and answers a clean 503 the client may retry", async () => {
    const { marker, store } = failing((m) => sql`select * from no_such_table where name = ${m}`);
    const c = await provisionClient(ctx());
    const lines: string[] = [];
    const res = await endpointWith(
      store,
      lines,
    )(request({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.secret }));
    expect(await whole(res)).toEqual({
      status: 503,
      headers: [
        ["cache-control", "no-store"],
        ["content-type", "application/json;charset=UTF-8"],
        ["pragma", "no-cache"],
        ["retry-after", "1"],
      ],
      body: JSON.stringify({ error: "server_error", error_description: "The server could not answer just now; try again." }),
    });
    expect(lines).toEqual(["token endpoint: unexpected DrizzleQueryError (code 42P01)"]);
    expect(lines.join("\n")).not.toContain(marker);
  });

  it("answers a value the database refuses (SQLSTATE class 22) as the client's invalid_request, not a 5xx, and logs no parameter", async () => {
    const { marker, store } = failing((m) => sql`select ${m}::uuid`);
    const c = await provisionClient(ctx());
    const lines: string[] = [];
    const res = await endpointWith(
      store,
      lines,
    )(request({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.secret }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "invalid_request",
      error_description: "A parameter holds a value that cannot be processed; remove any control characters.",
    });
    expect(lines).toEqual(["token endpoint: unexpected DrizzleQueryError (code 22P02)"]);
    expect(lines.join("\n")).not.toContain(marker);
  });
});

describe("usage the portal can show", () => {
  it("records last use of secrets and keys and the audiences asked for, in one batch rather than per request", async () => {
    const c = await provisionClient(ctx());
    const post = (body: URLSearchParams, headers: Record<string, string> = {}) =>
      mounts[0]!.fetch("/oauth/token", { method: "POST", headers: { ...FORM, ...headers }, body: body.toString() });
    for (let i = 0; i < 5; i++) await post(form({ grant_type: "client_credentials" }), { authorization: basic(c.clientId, c.secret) });
    const { clientSecrets, clientAudienceUsage } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    const before = await handle.db.select().from(clientSecrets).where(eq(clientSecrets.id, c.secretId));
    expect(before[0]?.lastUsedAt).toBeNull();
    await machine.usage.flush();
    const after = await handle.db.select().from(clientSecrets).where(eq(clientSecrets.id, c.secretId));
    expect(after[0]?.lastUsedAt).toBeInstanceOf(Date);
    const audiences = await handle.db.select().from(clientAudienceUsage).where(eq(clientAudienceUsage.clientId, c.uuid));
    expect(audiences).toEqual([expect.objectContaining({ audience: "https://api.claims-exchange.example/", requestCount: 5 })]);
  });

  it("records the aud of each assertion whose signature verified, refused or not, and never one from an unverified assertion", async () => {
    const c = await provisionClient(ctx());
    const k = await addKey(ctx(), c.clientId, "k");
    const stranger = await addKey(ctx(), (await provisionClient(ctx())).clientId, "k");
    const post = (body: URLSearchParams) => mounts[1]!.fetch("/oauth/token", { method: "POST", headers: FORM, body: body.toString() });
    const signed = (key: typeof k, aud: string) => assertion(key.privateKey, { iss: c.clientId, sub: c.clientId, aud }, { kid: "k" });
    const tokenEndpoint = `${ISSUER}/oauth/token`;
    expect((await post(jwtForm(await signed(k, ISSUER)))).status).toBe(200);
    expect((await post(jwtForm(await signed(k, ISSUER)))).status).toBe(200);
    // The legacy switch is off: refused after the signature verified, and recorded, so the SPOC can see it.
    expect((await post(jwtForm(await signed(k, tokenEndpoint)))).status).toBe(401);
    // Signed by someone else's key: nothing the caller sent is recorded.
    expect((await post(jwtForm(await signed(stranger, "https://attacker.example/")))).status).toBe(401);
    await machine.usage.flush();
    const { clientAssertionAudience } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    const rows = await handle.db.select().from(clientAssertionAudience).where(eq(clientAssertionAudience.clientId, c.uuid));
    expect(
      rows.map(({ audience, requestCount }) => ({ audience, requestCount })).sort((a, b) => a.audience.localeCompare(b.audience)),
    ).toEqual([
      { audience: ISSUER, requestCount: 2 },
      { audience: tokenEndpoint, requestCount: 1 },
    ]);
  });
});

afterAll(() => {
  if (logged.length) console.error(logged.slice(0, 3).join("\n"));
});
