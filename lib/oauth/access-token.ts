import { type KeyObject, randomUUID, sign } from "node:crypto";
import { type JWTPayload, jwtVerify } from "jose";
import { OAuthError } from "./errors";

/** RFC 6750 3.1 invalid_token, with a reason for error_description. */
export class InvalidTokenError extends Error {
  override name = "InvalidTokenError";
}

import type { PublishedKeys, SigningAlg } from "./signing-keys";

/** RFC 9068: a JWT access token, typ at+jwt, signed with the platform's current key. */
export interface AccessTokenClaims {
  issuer: string;
  clientId: string;
  audience: string;
  scope: string;
  ttlSeconds: number;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

/** Each signer's encoded protected header, made once per loaded key rather than per token. */
const encodedHeaders = new WeakMap<KeyObject, { alg: SigningAlg; kid: string; encoded: string }>();

function protectedHeader(alg: SigningAlg, signer: { kid: string; key: KeyObject }): string {
  const cached = encodedHeaders.get(signer.key);
  if (cached && cached.alg === alg && cached.kid === signer.kid) return cached.encoded;
  const encoded = base64url({ alg, kid: signer.kid, typ: "at+jwt" });
  encodedHeaders.set(signer.key, { alg, kid: signer.kid, encoded });
  return encoded;
}

/**
 * The JWS signature (RFC 7515 5.1) with node:crypto and the KeyObject loaded once per key cache,
 * the same bytes jose would make: jose 6 signs through WebCrypto and turns the KeyObject into a
 * CryptoKey on every call, about twice the CPU of an ES256 signature (docs/performance.md).
 * ES256 (RFC 7518 3.4: r || s, not DER) is signed inline, cheaper than a hand-off to the thread
 * pool; an RS256 signature takes a fifth of a millisecond, so it goes to the pool and does not
 * hold the event loop.
 */
function signJws(alg: SigningAlg, key: KeyObject, input: string): Promise<Buffer> {
  const data = Buffer.from(input, "utf8");
  if (alg === "ES256") return Promise.resolve(sign("sha256", data, { key, dsaEncoding: "ieee-p1363" }));
  return new Promise((resolve, reject) => sign("sha256", data, key, (error, signature) => (error ? reject(error) : resolve(signature))));
}

export async function signAccessToken(keys: PublishedKeys, alg: SigningAlg, claims: AccessTokenClaims, now: Date): Promise<string> {
  const signer = keys.signers[alg];
  if (!signer) throw new OAuthError("server_error", "No signing key is active yet; try again shortly.", 503);
  const iat = Math.floor(now.getTime() / 1000);
  const payload = base64url({
    client_id: claims.clientId,
    scope: claims.scope,
    iss: claims.issuer,
    sub: claims.clientId,
    aud: claims.audience,
    iat,
    exp: iat + claims.ttlSeconds,
    jti: randomUUID(),
  });
  const input = `${protectedHeader(alg, signer)}.${payload}`;
  return `${input}.${(await signJws(alg, signer.key, input)).toString("base64url")}`;
}

export interface VerifiedAccessToken {
  clientId: string;
  scope: string;
  audience: string;
  payload: JWTPayload;
}

/**
 * What a resource server checks (RFC 9068 4): our signature by kid, typ at+jwt, iss, an accepted
 * aud, exp. Throws with a reason suitable for an RFC 6750 error_description.
 */
export async function verifyAccessToken(
  token: string,
  keys: PublishedKeys,
  expected: { issuer: string; audiences: readonly string[]; now: Date },
): Promise<VerifiedAccessToken> {
  try {
    const { payload } = await jwtVerify(token, keys.verifier, {
      issuer: expected.issuer,
      audience: expected.audiences as string[],
      typ: "at+jwt",
      algorithms: ["ES256", "RS256"],
      currentDate: expected.now,
      requiredClaims: ["exp", "iat", "sub", "client_id", "jti"],
    });
    return {
      clientId: String(payload.client_id),
      scope: typeof payload.scope === "string" ? payload.scope : "",
      audience: Array.isArray(payload.aud) ? String(payload.aud[0]) : String(payload.aud),
      payload,
    };
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    const reason =
      code === "ERR_JWT_EXPIRED"
        ? "The access token has expired."
        : code === "ERR_JWT_CLAIM_VALIDATION_FAILED"
          ? `The access token's ${(error as { claim?: string }).claim ?? "claims"} is not accepted here.`
          : code === "ERR_JWKS_NO_MATCHING_KEY"
            ? "The access token was not signed by this authorization server."
            : "The access token is malformed or its signature does not verify.";
    throw new InvalidTokenError(reason);
  }
}
