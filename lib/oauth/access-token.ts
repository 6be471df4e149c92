import { randomUUID } from "node:crypto";
import { type JWTPayload, jwtVerify, SignJWT } from "jose";
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

export async function signAccessToken(keys: PublishedKeys, alg: SigningAlg, claims: AccessTokenClaims, now: Date): Promise<string> {
  const signer = keys.signers[alg];
  if (!signer) throw new OAuthError("server_error", "No signing key is active yet; try again shortly.", 503);
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ client_id: claims.clientId, scope: claims.scope })
    .setProtectedHeader({ alg, kid: signer.kid, typ: "at+jwt" })
    .setIssuer(claims.issuer)
    .setSubject(claims.clientId)
    .setAudience(claims.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + claims.ttlSeconds)
    .setJti(randomUUID())
    .sign(signer.key);
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
