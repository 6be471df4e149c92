import { describe, expect, it } from "vitest";
import { checkAssertionClaims, readClientAssertion } from "./client-assertion";
import { JWT_BEARER_ASSERTION_TYPE } from "./constants";

const issuer = "https://ext.auth.example";
const policy = { issuer, tokenEndpoint: `${issuer}/oauth/token`, legacyAudience: false, now: new Date(1_754_557_355_000) };
const now = 1_754_557_355;
const good = { iss: "client-1", sub: "client-1", aud: issuer, iat: now, exp: now + 250, jti: "77b45523-bdb7-4755-be3c-f321d864b157" };
const check =
  (claims: Record<string, unknown>, p = policy) =>
  () =>
    checkAssertionClaims(claims, "client-1", "key-1", p);

describe("client assertion claims (RFC 7523 3, seed 002)", () => {
  it("accepts seed 002's own example claims, with aud set to the issuer identifier", () => {
    expect(check(good)()).toMatchObject({ clientId: "client-1", jti: good.jti });
  });

  it("remembers the jti until exp plus the clock skew", () => {
    expect(check(good)().jtiExpiresAt.getTime()).toBe((good.exp + 30) * 1000);
  });

  it("rejects an assertion whose exp is more than 300 s after iat", () => {
    expect(check({ ...good, exp: now + 301 })).toThrow(/301 s after iat; at most 300 s/);
  });

  it("rejects an aud with a trailing slash the issuer does not have, and explains it", () => {
    expect(check({ ...good, aud: `${issuer}/` })).toThrow(/trailing slash/);
  });

  it("rejects a list of audiences, even one containing the issuer", () => {
    expect(check({ ...good, aud: [issuer, "https://other"] })).toThrow(/not a list/);
  });

  it("rejects a missing jti, a missing exp, and iss or sub other than the client", () => {
    expect(check({ ...good, jti: undefined })).toThrow(/jti is required/);
    expect(check({ ...good, exp: undefined })).toThrow(/exp is required/);
    expect(check({ ...good, sub: "client-2" })).toThrow(/iss and sub/);
  });

  it("tolerates 30 s of clock skew for iat in the future, not more", () => {
    expect(check({ ...good, iat: now + 30, exp: now + 100 })).not.toThrow();
    expect(check({ ...good, iat: now + 31, exp: now + 100 })).toThrow(/iat is in the future/);
  });
});

describe("reading a client assertion", () => {
  const jwt = (header: object, payload: object) =>
    `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.c2ln`;

  it("names the right client_assertion_type when seed 002's grant-type URN is sent", () => {
    expect(() => readClientAssertion("urn:ietf:params:oauth:grant-type:jwt-bearer", jwt({ alg: "RS256" }, good), undefined)).toThrow(
      /is the JWT bearer grant type, not the assertion type.*client-assertion-type:jwt-bearer/,
    );
  });

  it("refuses something that is not a JWT as invalid_request", () => {
    expect(() => readClientAssertion(JWT_BEARER_ASSERTION_TYPE, "not-a-jwt", undefined)).toThrow(/not a signed JWT/);
  });

  it("refuses a client_id parameter that differs from the assertion's sub", () => {
    expect(() => readClientAssertion(JWT_BEARER_ASSERTION_TYPE, jwt({ alg: "RS256" }, good), "client-2")).toThrow(/does not match/);
  });
});
