import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { InvalidTokenError, signAccessToken, verifyAccessToken } from "./access-token";
import { OAuthError } from "./errors";
import type { PublishedKeys } from "./signing-keys";

/** RFC 9068 JWT access tokens: what we sign, and what a resource server accepts (RFC 9068 4). */

const issuer = "https://ext.auth.example";
const api = "https://api.example/orders";
const now = new Date("2026-03-01T12:00:00.000Z");
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const stranger = generateKeyPairSync("ec", { namedCurve: "P-256" });
const publicJwk = (key: KeyObject, kid: string): JWK => ({ ...(key.export({ format: "jwk" }) as JWK), kid, alg: "ES256", use: "sig" });
const jwks = { keys: [publicJwk(ec.publicKey, "es-1")] };
const keys: PublishedKeys = { jwks, signers: { ES256: { kid: "es-1", key: ec.privateKey } }, verifier: createLocalJWKSet(jwks) };
const claims = { issuer, clientId: "client_one", audience: api, scope: "read:orders", ttlSeconds: 600 };
const expected = { issuer, audiences: [api], now };

async function reason(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.message;
    throw error;
  }
  throw new Error("expected an InvalidTokenError");
}

describe("signing an access token (RFC 9068 2)", () => {
  it("carries typ at+jwt, our kid, and the client's claims for ttl seconds", async () => {
    const token = await signAccessToken(keys, "ES256", claims, now);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "ES256", kid: "es-1", typ: "at+jwt" });
    const iat = now.getTime() / 1000;
    expect(decodeJwt(token)).toEqual({
      client_id: "client_one",
      scope: "read:orders",
      iss: issuer,
      sub: "client_one",
      aud: api,
      iat,
      exp: iat + 600,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it("names the kid of the signer it is given each time, even for a key object it signed with under another kid", async () => {
    const first = await signAccessToken(keys, "ES256", claims, now);
    const renamed: PublishedKeys = { ...keys, signers: { ES256: { kid: "es-renamed", key: ec.privateKey } } };
    const second = await signAccessToken(renamed, "ES256", claims, now);
    expect(decodeProtectedHeader(first).kid).toBe("es-1");
    expect(decodeProtectedHeader(second)).toEqual({ alg: "ES256", kid: "es-renamed", typ: "at+jwt" });
    expect(decodeProtectedHeader(await signAccessToken(keys, "ES256", claims, now)).kid).toBe("es-1");
  });

  it("answers 503 server_error while no key signs for the algorithm", async () => {
    const error = await signAccessToken(keys, "RS256", claims, now).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ error: "server_error", status: 503, description: "No signing key is active yet; try again shortly." });
  });
});

describe("verifying an access token (RFC 9068 4)", () => {
  it("accepts our token for an accepted audience, until it expires", async () => {
    const token = await signAccessToken(keys, "ES256", claims, now);
    expect(await verifyAccessToken(token, keys, expected)).toMatchObject({ clientId: "client_one", scope: "read:orders", audience: api });
    expect(await reason(() => verifyAccessToken(token, keys, { ...expected, now: new Date(now.getTime() + 600_000) }))).toBe(
      "The access token has expired.",
    );
  });

  it("names the claim that is not accepted here", async () => {
    const token = await signAccessToken(keys, "ES256", claims, now);
    expect(await reason(() => verifyAccessToken(token, keys, { ...expected, audiences: ["https://api.example/billing"] }))).toBe(
      "The access token's aud is not accepted here.",
    );
    expect(await reason(() => verifyAccessToken(token, keys, { ...expected, issuer: "https://other.example" }))).toBe(
      "The access token's iss is not accepted here.",
    );
  });

  it("accepts RS256 as well as ES256 (a client's access_token_alg)", async () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const rsJwks = { keys: [{ ...(rsa.publicKey.export({ format: "jwk" }) as JWK), kid: "rs-1", alg: "RS256", use: "sig" }] };
    const rsKeys: PublishedKeys = {
      jwks: rsJwks,
      signers: { RS256: { kid: "rs-1", key: rsa.privateKey } },
      verifier: createLocalJWKSet(rsJwks),
    };
    const token = await signAccessToken(rsKeys, "RS256", claims, now);
    expect((await verifyAccessToken(token, rsKeys, expected)).clientId).toBe("client_one");
  });

  it("requires every claim RFC 9068 2.2 names: a token without jti is refused", async () => {
    const token = await new SignJWT({ client_id: "client_one" })
      .setProtectedHeader({ alg: "ES256", kid: "es-1", typ: "at+jwt" })
      .setIssuer(issuer)
      .setSubject("client_one")
      .setAudience(api)
      .setIssuedAt(now.getTime() / 1000)
      .setExpirationTime(now.getTime() / 1000 + 60)
      .sign(ec.privateKey);
    expect(await reason(() => verifyAccessToken(token, keys, expected))).toBe("The access token's jti is not accepted here.");
  });

  it("reads the first audience of a list, and an empty scope when none is given", async () => {
    const token = await new SignJWT({ client_id: "client_one" })
      .setProtectedHeader({ alg: "ES256", kid: "es-1", typ: "at+jwt" })
      .setIssuer(issuer)
      .setSubject("client_one")
      .setAudience([api, "https://api.example/billing"])
      .setIssuedAt(now.getTime() / 1000)
      .setExpirationTime(now.getTime() / 1000 + 60)
      .setJti("j")
      .sign(ec.privateKey);
    expect(await verifyAccessToken(token, keys, expected)).toMatchObject({ scope: "", audience: api });
  });

  it("refuses a token signed by a key we never published, and one that is not a JWT", async () => {
    const foreign = await signAccessToken({ ...keys, signers: { ES256: { kid: "es-9", key: stranger.privateKey } } }, "ES256", claims, now);
    expect(await reason(() => verifyAccessToken(foreign, keys, expected))).toBe(
      "The access token was not signed by this authorization server.",
    );
    expect(await reason(() => verifyAccessToken("abc", keys, expected))).toBe(
      "The access token is malformed or its signature does not verify.",
    );
  });
});
