import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { type JWTPayload, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { NUL_MESSAGE } from "@/lib/text-field";
import {
  ASSERTION_NOT_VERIFIED,
  assertionAlgorithmsOf,
  checkAssertionClaims,
  type RegisteredKey,
  readClientAssertion,
  verifyClientAssertion,
} from "./client-assertion";
import { JWT_BEARER_ASSERTION_TYPE } from "./constants";
import { OAuthError, oauthErrorResponse } from "./errors";

const issuer = "https://ext.auth.example";
const tokenEndpoint = `${issuer}/oauth/token`;
const policy = { issuer, tokenEndpoint, legacyAudience: false, now: new Date(1_754_557_355_000) };
const now = 1_754_557_355;
const good = { iss: "client-1", sub: "client-1", aud: issuer, iat: now, exp: now + 250, jti: "77b45523-bdb7-4755-be3c-f321d864b157" };
const check =
  (claims: Record<string, unknown>, p = policy) =>
  () =>
    checkAssertionClaims(claims, "client-1", "key-1", p);

/** The whole RFC 6749 5.2 answer the token endpoint would send for what `run` throws. */
async function refusal(run: () => unknown): Promise<{ status: number; body: unknown }> {
  let thrown: unknown;
  try {
    await run();
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof OAuthError)) throw new Error(`expected an OAuthError, got ${String(thrown)}`);
  const response = oauthErrorResponse(thrown, false);
  // The reason a caller is not told (the log's and the checker's), when there is one.
  return { status: response.status, body: await response.json(), ...(thrown.reason ? { reason: thrown.reason } : {}) };
}

const invalidClient = (description: string) => ({ status: 401, body: { error: "invalid_client", error_description: description } });
/** Before the signature verified: the one generic answer (no client or key is revealed), the reason kept apart. */
const unverified = (reason: string) => ({
  status: 401,
  body: { error: "invalid_client", error_description: ASSERTION_NOT_VERIFIED },
  reason,
});
const invalidRequest = (description: string) => ({ status: 400, body: { error: "invalid_request", error_description: description } });

describe("client assertion claims (RFC 7523 3, seed 002)", () => {
  it("accepts seed 002's own example claims, with aud set to the issuer identifier", () => {
    expect(check(good)()).toEqual({ clientId: "client-1", keyId: "key-1", jti: good.jti, jtiExpiresAt: new Date((good.exp + 30) * 1000) });
  });

  it("remembers the jti until exp plus the clock skew", () => {
    expect(check(good)().jtiExpiresAt.getTime()).toBe((good.exp + 30) * 1000);
  });

  it("rejects iss or sub other than the client, each on its own", async () => {
    const expected = invalidClient("iss and sub must both be your client_id.");
    expect(await refusal(check({ ...good, sub: "client-2" }))).toEqual(expected);
    expect(await refusal(check({ ...good, iss: "client-2" }))).toEqual(expected);
  });

  describe("aud (RFC 7523 3 (3); RFC 10070: exactly the issuer identifier, compared as a string)", () => {
    it("accepts the issuer identifier, alone or as a list of one", () => {
      expect(check({ ...good, aud: issuer })).not.toThrow();
      expect(check({ ...good, aud: [issuer] })).not.toThrow();
    });

    it("rejects a missing aud and an empty list, naming the issuer", async () => {
      const expected = invalidClient(`aud is missing: set it to the issuer identifier ${issuer}`);
      expect(await refusal(check({ ...good, aud: undefined }))).toEqual(expected);
      expect(await refusal(check({ ...good, aud: [] }))).toEqual(expected);
    });

    it("rejects a list of audiences, even one containing the issuer", async () => {
      expect(await refusal(check({ ...good, aud: [issuer, "https://other"] }))).toEqual(
        invalidClient(`aud must be the single issuer identifier ${issuer}, not a list.`),
      );
    });

    it("rejects an aud with a trailing slash the issuer does not have, and explains it", async () => {
      expect(await refusal(check({ ...good, aud: `${issuer}/` }))).toEqual(
        invalidClient(`aud differs from the issuer identifier by a trailing slash; it must be exactly ${issuer}`),
      );
    });

    it("rejects an aud without the trailing slash an issuer has", async () => {
      const slashed = `${issuer}/`;
      expect(await refusal(check({ ...good, aud: issuer }, { ...policy, issuer: slashed }))).toEqual(
        invalidClient(`aud differs from the issuer identifier by a trailing slash; it must be exactly ${slashed}`),
      );
    });

    it("rejects the token endpoint URL unless the client's legacy switch is on", async () => {
      expect(await refusal(check({ ...good, aud: tokenEndpoint }))).toEqual(
        invalidClient(
          `aud is the token endpoint URL; it must be the issuer identifier ${issuer} (RFC 10070). If your library cannot send that, ask the platform operator to turn on this client's legacy audience switch.`,
        ),
      );
      expect(check({ ...good, aud: tokenEndpoint }, { ...policy, legacyAudience: true })).not.toThrow();
    });

    it("with the legacy switch on, still accepts the issuer and nothing else", async () => {
      const legacy = { ...policy, legacyAudience: true };
      expect(check({ ...good, aud: issuer }, legacy)).not.toThrow();
      expect(await refusal(check({ ...good, aud: "https://other.example" }, legacy))).toEqual(
        invalidClient(`aud must be the issuer identifier ${issuer}`),
      );
    });

    it("compares as a string: another host or another case is refused", async () => {
      const expected = invalidClient(`aud must be the issuer identifier ${issuer}`);
      expect(await refusal(check({ ...good, aud: "https://other.example" }))).toEqual(expected);
      expect(await refusal(check({ ...good, aud: issuer.toUpperCase() }))).toEqual(expected);
    });
  });

  describe("exp, iat and nbf (30 s of clock skew; seed 002: at most 5 minutes from iat)", () => {
    it("requires exp as a number", async () => {
      const expected = invalidClient("exp is required.");
      expect(await refusal(check({ ...good, exp: undefined }))).toEqual(expected);
      expect(await refusal(check({ ...good, exp: String(now + 60) }))).toEqual(expected);
    });

    it("accepts exp up to 30 s in the past and refuses it from then on", async () => {
      expect(check({ ...good, iat: now - 100, exp: now - 29 })).not.toThrow();
      expect(await refusal(check({ ...good, iat: now - 100, exp: now - 30 }))).toEqual(
        invalidClient("The assertion has expired (exp is in the past)."),
      );
    });

    it("allows exactly 300 s between iat and exp, and refuses 301 s", async () => {
      expect(check({ ...good, iat: now, exp: now + 300 })()).toMatchObject({ jti: good.jti });
      expect(await refusal(check({ ...good, iat: now, exp: now + 301 }))).toEqual(
        invalidClient("exp is 301 s after iat; at most 300 s (5 minutes) is allowed."),
      );
    });

    it("requires iat (seed 002 lists it, and the 300 s are measured from it)", async () => {
      expect(await refusal(check({ ...good, iat: undefined, exp: now + 60 }))).toEqual(
        invalidClient("iat is required: the time you signed the assertion, in seconds since 1970."),
      );
    });

    it("refuses an iat that is not a number of seconds", async () => {
      expect(await refusal(check({ ...good, iat: String(now) }))).toEqual(invalidClient("iat must be a number of seconds."));
    });

    it("tolerates 30 s of clock skew for iat in the future, not more", async () => {
      expect(check({ ...good, iat: now + 30, exp: now + 100 })).not.toThrow();
      expect(await refusal(check({ ...good, iat: now + 31, exp: now + 100 }))).toEqual(
        invalidClient("iat is in the future: check your clock."),
      );
    });

    it("measures the 300 s from iat when there is one, not from now", async () => {
      expect(await refusal(check({ ...good, iat: now - 100, exp: now + 201 }))).toEqual(
        invalidClient("exp is 301 s after iat; at most 300 s (5 minutes) is allowed."),
      );
    });

    it("ignores an nbf that is not a number of seconds (RFC 7519 4.1.5 defines only NumericDate)", () => {
      expect(check({ ...good, nbf: String(now + 3600) })).not.toThrow();
    });

    it("tolerates 30 s of clock skew for nbf in the future, not more", async () => {
      expect(check({ ...good, nbf: now + 30 })).not.toThrow();
      expect(await refusal(check({ ...good, nbf: now + 31 }))).toEqual(
        invalidClient("nbf is in the future: the assertion is not valid yet."),
      );
    });
  });

  describe("jti (RFC 7523 3 (7): stored to refuse replays)", () => {
    it("is required and not empty", async () => {
      const expected = invalidClient("jti is required: a unique id (e.g. a UUID) for every assertion.");
      expect(await refusal(check({ ...good, jti: undefined }))).toEqual(expected);
      expect(await refusal(check({ ...good, jti: "" }))).toEqual(expected);
      expect(await refusal(check({ ...good, jti: 42 }))).toEqual(expected);
    });

    it("may be 200 characters long, not 201", async () => {
      expect(check({ ...good, jti: "j".repeat(200) })).not.toThrow();
      expect(await refusal(check({ ...good, jti: "j".repeat(201) }))).toEqual(invalidClient("jti is longer than 200 characters."));
    });

    it("must be text the database can store", async () => {
      expect(await refusal(check({ ...good, jti: "a\u0000b" }))).toEqual(invalidClient(`jti: ${NUL_MESSAGE} A UUID is a good jti.`));
    });
  });
});

const jwt = (header: object, payload: object) =>
  `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.c2ln`;

describe("reading a client assertion", () => {
  it("names the right client_assertion_type when seed 002's grant-type URN is sent", async () => {
    expect(
      await refusal(() => readClientAssertion("urn:ietf:params:oauth:grant-type:jwt-bearer", jwt({ alg: "RS256" }, good), undefined)),
    ).toEqual(
      invalidRequest(
        `urn:ietf:params:oauth:grant-type:jwt-bearer is the JWT bearer grant type, not the assertion type. Send client_assertion_type=${JWT_BEARER_ASSERTION_TYPE}.`,
      ),
    );
  });

  it("says when client_assertion_type is missing, and quotes an unsupported one (at most 80 characters)", async () => {
    expect(await refusal(() => readClientAssertion(undefined, jwt({ alg: "RS256" }, good), undefined))).toEqual(
      invalidRequest(`The client_assertion_type parameter is missing. Send client_assertion_type=${JWT_BEARER_ASSERTION_TYPE}.`),
    );
    expect(await refusal(() => readClientAssertion("x".repeat(100), jwt({ alg: "RS256" }, good), undefined))).toEqual(
      invalidRequest(
        `${"x".repeat(80)} is not a supported client_assertion_type. Send client_assertion_type=${JWT_BEARER_ASSERTION_TYPE}.`,
      ),
    );
  });

  it("refuses something that is not a JWT as invalid_request", async () => {
    expect(await refusal(() => readClientAssertion(JWT_BEARER_ASSERTION_TYPE, "not-a-jwt", undefined))).toEqual(
      invalidRequest("client_assertion is not a signed JWT (three base64url parts)."),
    );
  });

  it("never accepts alg none or an HMAC alg, and names the accepted ones otherwise", async () => {
    const read = (header: object) => () => readClientAssertion(JWT_BEARER_ASSERTION_TYPE, jwt(header, good), undefined);
    expect(await refusal(read({ alg: "none" }))).toEqual(
      invalidClient(
        "alg none is never accepted: sign the assertion with your private key, using RS256 or PS256 for an RSA key, ES256 for an EC P-256 key.",
      ),
    );
    expect(await refusal(read({ alg: "HS256" }))).toEqual(
      invalidClient(
        "alg HS256 is never accepted: sign the assertion with your private key, using RS256 or PS256 for an RSA key, ES256 for an EC P-256 key.",
      ),
    );
    expect(await refusal(read({ alg: "EdDSA" }))).toEqual(
      invalidClient("alg EdDSA is not accepted: sign with RS256 or PS256 (an RSA key) or ES256 (an EC P-256 key)."),
    );
    expect(await refusal(read({ typ: "JWT" }))).toEqual(
      invalidClient("alg (missing) is not accepted: sign with RS256 or PS256 (an RSA key) or ES256 (an EC P-256 key)."),
    );
  });

  it("reads the client from sub, else iss, else the client_id parameter, and the kid when there is one", () => {
    const read = (payload: object, clientId?: string, header: object = { alg: "PS256", kid: "k1" }) =>
      readClientAssertion(JWT_BEARER_ASSERTION_TYPE, jwt(header, payload), clientId);
    const token = jwt({ alg: "PS256", kid: "k1" }, { sub: "client-1" });
    expect(read({ sub: "client-1" })).toEqual({ clientId: "client-1", alg: "PS256", kid: "k1", token });
    expect(read({ iss: "client-1" }).clientId).toBe("client-1");
    expect(read({}, "client-1").clientId).toBe("client-1");
    expect(read({ sub: "client-1" }, undefined, { alg: "ES256" }).kid).toBeUndefined();
  });

  it("ignores a sub, iss or kid that is not a string", () => {
    const read = readClientAssertion(JWT_BEARER_ASSERTION_TYPE, jwt({ alg: "RS256", kid: 7 }, { sub: 42, iss: "client-1" }), undefined);
    expect(read).toMatchObject({ clientId: "client-1", kid: undefined });
    expect(readClientAssertion(JWT_BEARER_ASSERTION_TYPE, jwt({ alg: "RS256" }, { iss: 42 }), "client-1").clientId).toBe("client-1");
  });

  it("refuses a JWE (five parts) as not a signed JWT", async () => {
    expect(
      await refusal(() =>
        readClientAssertion(JWT_BEARER_ASSERTION_TYPE, `${jwt({ alg: "RSA-OAEP", enc: "A256GCM" }, good)}.x.y`, undefined),
      ),
    ).toEqual(invalidRequest("client_assertion is not a signed JWT (three base64url parts)."));
  });

  it("asks for a sub when nothing names the client", async () => {
    expect(await refusal(() => readClientAssertion(JWT_BEARER_ASSERTION_TYPE, jwt({ alg: "RS256" }, { aud: issuer }), undefined))).toEqual(
      invalidRequest("The assertion has no sub: set iss and sub to your client_id."),
    );
  });

  it("refuses a client_id parameter that differs from the assertion's sub", async () => {
    expect(await refusal(() => readClientAssertion(JWT_BEARER_ASSERTION_TYPE, jwt({ alg: "RS256" }, good), "client-2"))).toEqual(
      invalidClient("The client_id parameter does not match the assertion's sub."),
    );
    expect(readClientAssertion(JWT_BEARER_ASSERTION_TYPE, jwt({ alg: "RS256" }, good), "client-1").clientId).toBe("client-1");
  });
});

describe("verifying a client assertion against the client's keys", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const otherRsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const registered = (
    id: string,
    kid: string,
    alg: string,
    publicKey: KeyObject,
    keyType: RegisteredKey["keyType"] = publicKey.asymmetricKeyType === "ec" ? "EC" : "RSA",
  ): RegisteredKey => ({
    id,
    kid,
    alg,
    keyType,
    jwk: publicKey.export({ format: "jwk" }) as Record<string, unknown>,
  });
  const key1 = registered("key-1", "kid-1", "RS256", rsa.publicKey);
  const key2 = registered("key-2", "kid-2", "RS256", otherRsa.publicKey);
  const sign = (alg: string, kid: string | undefined, privateKey: KeyObject = rsa.privateKey, claims: JWTPayload = good) =>
    new SignJWT(claims).setProtectedHeader(kid === undefined ? { alg } : { alg, kid }).sign(privateKey);
  const verify = async (token: string, keys: readonly RegisteredKey[]) =>
    verifyClientAssertion(readClientAssertion(JWT_BEARER_ASSERTION_TYPE, token, undefined), keys, policy);

  it("verifies with the key named by kid, and returns that key's id", async () => {
    expect(await verify(await sign("RS256", "kid-2", otherRsa.privateKey), [key1, key2])).toEqual({
      clientId: "client-1",
      keyId: "key-2",
      jti: good.jti,
      jtiExpiresAt: new Date((good.exp + 30) * 1000),
    });
  });

  it("uses the only key when the assertion has no kid, and asks for a kid when there are two", async () => {
    expect((await verify(await sign("RS256", undefined), [key1])).keyId).toBe("key-1");
    expect(await refusal(async () => verify(await sign("RS256", undefined), [key1, key2]))).toEqual(
      unverified("This client has two active keys: put the signing key's kid in the assertion's header."),
    );
  });

  it("verifies with the key it was given, never one remembered for another client under the same id and kid (keys at a JWKS URL are named by kid alone)", async () => {
    const published = (publicKey: KeyObject) => registered("jwks:shared", "shared", "RS256", publicKey);
    // One client's key is used first, then another client publishing the same kid signs with its own.
    expect((await verify(await sign("RS256", "shared"), [published(rsa.publicKey)])).keyId).toBe("jwks:shared");
    expect((await verify(await sign("RS256", "shared", otherRsa.privateKey), [published(otherRsa.publicKey)])).keyId).toBe("jwks:shared");
    // And the first client's private key does not verify against the second client's published key.
    expect(await refusal(async () => verify(await sign("RS256", "shared"), [published(otherRsa.publicKey)]))).toEqual(
      unverified("The assertion's signature does not verify with the registered key."),
    );
  });

  it("refuses a client without keys and a kid that is not registered", async () => {
    expect(await refusal(async () => verify(await sign("RS256", "kid-1"), []))).toEqual(
      unverified("This client has no active public key registered for private_key_jwt."),
    );
    expect(await refusal(async () => verify(await sign("RS256", "kid-9"), [key1]))).toEqual(
      unverified("No active key with kid kid-9 is registered for this client."),
    );
  });

  it("accepts PS256 with a key registered for RS256 (the same RSA key), and no other alg change", async () => {
    expect((await verify(await sign("PS256", "kid-1"), [key1])).keyId).toBe("key-1");
    const psKey = registered("key-3", "kid-3", "PS256", rsa.publicKey);
    expect(await refusal(async () => verify(await sign("RS256", "kid-3"), [psKey]))).toEqual(
      unverified("The key kid-3 is registered for PS256, but the assertion uses RS256."),
    );
  });

  it("verifies ES256 with an EC P-256 key, chosen by kid beside an RSA key or as the only key", async () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const es = registered("key-4", "kid-4", "ES256", ec.publicKey);
    expect(await verify(await sign("ES256", "kid-4", ec.privateKey), [key1, es])).toEqual({
      clientId: "client-1",
      keyId: "key-4",
      jti: good.jti,
      jtiExpiresAt: new Date((good.exp + 30) * 1000),
    });
    expect((await verify(await sign("ES256", undefined, ec.privateKey), [es])).keyId).toBe("key-4");
  });

  it("never lets a key verify the other family's alg, answering as for any signature that does not verify", async () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const es = registered("key-4", "kid-4", "ES256", ec.publicKey);
    const signatureFails = unverified("The assertion's signature does not verify with the registered key.");
    // Signed properly with the EC key, but sent to an RSA key's kid; and an RSA-signed one to the EC key's kid.
    expect(await refusal(async () => verify(await sign("ES256", "kid-1", ec.privateKey), [key1, es]))).toEqual(signatureFails);
    expect(await refusal(async () => verify(await sign("RS256", "kid-4"), [key1, es]))).toEqual(signatureFails);
    expect(await refusal(async () => verify(await sign("PS256", "kid-4"), [key1, es]))).toEqual(signatureFails);
    // The only key, no kid: the same answer.
    expect(await refusal(async () => verify(await sign("ES256", undefined, ec.privateKey), [key1]))).toEqual(signatureFails);
    expect(await refusal(async () => verify(await sign("RS256", undefined), [es]))).toEqual(signatureFails);
  });

  it("refuses an ES256 signature made with another P-256 key", async () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const stranger = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const es = registered("key-4", "kid-4", "ES256", ec.publicKey);
    expect(await refusal(async () => verify(await sign("ES256", "kid-4", stranger.privateKey), [es]))).toEqual(
      unverified("The assertion's signature does not verify with the registered key."),
    );
  });

  it("derives each key's algorithms from its family: RSA RS256 and PS256 (PS256 only when asked), EC P-256 ES256", () => {
    expect(assertionAlgorithmsOf({ keyType: "RSA", alg: "RS256" })).toEqual(["RS256", "PS256"]);
    expect(assertionAlgorithmsOf({ keyType: "RSA", alg: "PS256" })).toEqual(["PS256"]);
    expect(assertionAlgorithmsOf({ keyType: "EC", alg: "ES256" })).toEqual(["ES256"]);
  });

  it("quotes at most 80 characters of an unknown kid and 40 of a key's kid", async () => {
    const longKid = "k".repeat(100);
    expect(await refusal(async () => verify(await sign("RS256", longKid), [key1]))).toEqual(
      unverified(`No active key with kid ${"k".repeat(80)} is registered for this client.`),
    );
    const psKey = registered("key-5", longKid, "PS256", rsa.publicKey);
    const unsigned = readClientAssertion(JWT_BEARER_ASSERTION_TYPE, jwt({ alg: "RS256", kid: longKid }, good), undefined);
    expect(await refusal(() => verifyClientAssertion(unsigned, [psKey], policy))).toEqual(
      unverified(`The key ${"k".repeat(40)} is registered for PS256, but the assertion uses RS256.`),
    );
  });

  it("says the assertion could not be verified when the registered key does not fit its alg", async () => {
    const ecKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const misfiled = registered("key-6", "kid-6", "RS256", ecKey.publicKey, "RSA");
    expect(await refusal(async () => verify(await sign("RS256", "kid-6"), [misfiled]))).toEqual(
      unverified("The assertion could not be verified."),
    );
  });

  it("refuses a signature made with another key", async () => {
    expect(await refusal(async () => verify(await sign("RS256", "kid-1", otherRsa.privateKey), [key1]))).toEqual(
      unverified("The assertion's signature does not verify with the registered key."),
    );
  });

  it("checks the claims after the signature", async () => {
    expect(
      await refusal(async () => verify(await sign("RS256", "kid-1", rsa.privateKey, { ...good, aud: tokenEndpoint }), [key1])),
    ).toEqual(
      invalidClient(
        `aud is the token endpoint URL; it must be the issuer identifier ${issuer} (RFC 10070). If your library cannot send that, ask the platform operator to turn on this client's legacy audience switch.`,
      ),
    );
  });
});
