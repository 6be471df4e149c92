import { createPublicKey, type KeyObject } from "node:crypto";
import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload, errors as joseErrors } from "jose";
import { unstorableTextProblem } from "@/lib/text-field";
import {
  ASSERTION_ALGORITHMS,
  ASSERTION_ALGORITHMS_BY_KEY_TYPE,
  type AssertionAlgorithm,
  CLOCK_SKEW_SECONDS,
  JWT_BEARER_ASSERTION_TYPE,
  JWT_BEARER_GRANT_TYPE,
  MAX_ASSERTION_LIFETIME_SECONDS,
} from "./constants";
import { OAuthError } from "./errors";

/**
 * private_key_jwt (RFC 7523, with RFC 10070's audience rule), as a checklist of named steps.
 * A malformed assertion is invalid_request; one that is well-formed but fails a check is
 * invalid_client. Each description names the rule broken, so the Dev Tools checker can show
 * an integrator exactly what to fix.
 */

export interface UnverifiedAssertion {
  clientId: string;
  alg: string;
  kid: string | undefined;
  token: string;
}

export interface RegisteredKey {
  id: string;
  kid: string;
  alg: string;
  /** RSA or EC (P-256), as registered (db/schema.ts, client_public_key_family). */
  keyType: "RSA" | "EC";
  jwk: Record<string, unknown>;
}

/** Said for every signature that does not verify, a key of the other family included. */
export const SIGNATURE_DOES_NOT_VERIFY = "The assertion's signature does not verify with the registered key.";

/**
 * The one public answer to every private_key_jwt failure before the signature has verified (an
 * unknown client, no key, an unknown kid, a key of the other type, a bad signature), so an
 * anonymous caller learns nothing about which clients exist or what keys they have. The precise
 * reason goes to the log and to the Dev Tools assertion checker, for the client's own designated
 * user (OAuthError.reason). Claims are answered precisely: by then the caller has proved it holds
 * the client's key.
 */
export const ASSERTION_NOT_VERIFIED =
  "The client assertion could not be verified with a key of this client. The client's designated user can see why with the assertion checker in Dev Tools.";

/** A failure before the signature verified: the generic answer, with the reason kept for the log and the checker. */
export function unverifiedAssertion(reason: string): OAuthError {
  const error = new OAuthError("invalid_client", ASSERTION_NOT_VERIFIED);
  error.reason = reason;
  return error;
}

/**
 * The algorithms a registered key verifies: an EC P-256 key ES256 only; an RSA key RS256 and PS256
 * (the same key, RFC 7518 3.5), or PS256 only when its JWK asked for PS256. This is each client's
 * set of allowed assertion algorithms: there is no separate per-client setting, the keys decide.
 */
export function assertionAlgorithmsOf(key: Pick<RegisteredKey, "alg" | "keyType">): readonly AssertionAlgorithm[] {
  if (key.keyType === "EC") return ASSERTION_ALGORITHMS_BY_KEY_TYPE.EC;
  return key.alg === "PS256" ? ["PS256"] : ASSERTION_ALGORITHMS_BY_KEY_TYPE.RSA;
}

export interface AssertionPolicy {
  /** RFC 10070: the audience is the issuer identifier, compared as a string. */
  issuer: string;
  tokenEndpoint: string;
  /** The client's legacy switch: also accept the token endpoint URL as aud. */
  legacyAudience: boolean;
  now: Date;
  /** Told the aud once the signature verified, before the claims are judged (the API tab shows what clients send). */
  sawAudience?: (aud: string) => void;
}

export interface VerifiedAssertion {
  clientId: string;
  keyId: string;
  jti: string;
  /** Until when the jti must be remembered: exp plus the skew. */
  jtiExpiresAt: Date;
}

/**
 * The client an assertion authenticates as: its sub, else its iss, else the client_id parameter.
 * One definition, so the rate limits count a failure against the very client that was tried.
 */
export function assertedClientId(payload: JWTPayload, clientIdParam: string | undefined): string | undefined {
  const sub = typeof payload.sub === "string" ? payload.sub : undefined;
  const iss = typeof payload.iss === "string" ? payload.iss : undefined;
  return sub ?? iss ?? clientIdParam;
}

/** Step 1: the assertion type and the JWT's shape, before any look-up. */
export function readClientAssertion(
  assertionType: string | undefined,
  assertion: string,
  clientIdParam: string | undefined,
): UnverifiedAssertion {
  if (assertionType !== JWT_BEARER_ASSERTION_TYPE) {
    const hint =
      assertionType === JWT_BEARER_GRANT_TYPE
        ? `${JWT_BEARER_GRANT_TYPE} is the JWT bearer grant type, not the assertion type. `
        : assertionType
          ? `${assertionType.slice(0, 80)} is not a supported client_assertion_type. `
          : "The client_assertion_type parameter is missing. ";
    throw new OAuthError("invalid_request", `${hint}Send client_assertion_type=${JWT_BEARER_ASSERTION_TYPE}.`);
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: JWTPayload;
  try {
    header = decodeProtectedHeader(assertion);
    payload = decodeJwt(assertion);
  } catch {
    // decodeJwt refuses anything but the three parts of a JWS (a five-part JWE included).
    throw new OAuthError("invalid_request", "client_assertion is not a signed JWT (three base64url parts).");
  }
  const alg = typeof header.alg === "string" ? header.alg : "";
  if (!(ASSERTION_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new OAuthError(
      "invalid_client",
      alg === "none" || alg.startsWith("HS")
        ? `alg ${alg} is never accepted: sign the assertion with your private key, using RS256 or PS256 for an RSA key, ES256 for an EC P-256 key.`
        : `alg ${alg || "(missing)"} is not accepted: sign with RS256 or PS256 (an RSA key) or ES256 (an EC P-256 key).`,
    );
  }
  const clientId = assertedClientId(payload, clientIdParam);
  if (!clientId) throw new OAuthError("invalid_request", "The assertion has no sub: set iss and sub to your client_id.");
  if (clientIdParam !== undefined && clientIdParam !== clientId) {
    throw new OAuthError("invalid_client", "The client_id parameter does not match the assertion's sub.");
  }
  return { clientId, alg, kid: typeof header.kid === "string" ? header.kid : undefined, token: assertion };
}

const keyCache = new Map<string, KeyObject>();

/**
 * Imported keys are remembered by their material, never by id and kid: a key from a JWKS URL is
 * named by its kid alone (lib/oauth/client-jwks-source.ts), so two clients publishing the same kid,
 * or one client replacing the key behind a kid, must never be verified with a remembered key.
 */
function importKey(key: RegisteredKey): KeyObject {
  const cacheKey = JSON.stringify(key.jwk);
  let imported = keyCache.get(cacheKey);
  if (!imported) {
    imported = createPublicKey({ key: key.jwk as never, format: "jwk" });
    if (keyCache.size > 5_000) keyCache.clear();
    keyCache.set(cacheKey, imported);
  }
  return imported;
}

/** Step 2: the key by kid among the client's live keys, the signature, then every claim. */
export async function verifyClientAssertion(
  read: UnverifiedAssertion,
  keys: readonly RegisteredKey[],
  policy: AssertionPolicy,
): Promise<VerifiedAssertion> {
  if (keys.length === 0) throw unverifiedAssertion("This client has no active public key registered for private_key_jwt.");
  let key: RegisteredKey | undefined;
  if (read.kid !== undefined) {
    key = keys.find((k) => k.kid === read.kid);
    if (!key) throw unverifiedAssertion(`No active key with kid ${read.kid.slice(0, 80)} is registered for this client.`);
  } else if (keys.length === 1) {
    key = keys[0];
  } else {
    throw unverifiedAssertion("This client has two active keys: put the signing key's kid in the assertion's header.");
  }
  if (!key) throw unverifiedAssertion("No usable key.");
  // A key of the other family (an RSA key for ES256, an EC key for RS256 or PS256) is answered
  // exactly like a signature that does not verify: jose would refuse the pair anyway, and the
  // answer should not depend on which way it fails.
  if (!(ASSERTION_ALGORITHMS_BY_KEY_TYPE[key.keyType] as readonly string[]).includes(read.alg)) {
    throw unverifiedAssertion(SIGNATURE_DOES_NOT_VERIFY);
  }
  if (!(assertionAlgorithmsOf(key) as readonly string[]).includes(read.alg)) {
    throw unverifiedAssertion(`The key ${key.kid.slice(0, 40)} is registered for ${key.alg}, but the assertion uses ${read.alg}.`);
  }

  let payload: JWTPayload;
  try {
    // Signature only: every claim is checked below, by name, against our own rules.
    const verified = await compactVerify(read.token, importKey(key), { algorithms: [read.alg] });
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as JWTPayload;
  } catch (error) {
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) throw unverifiedAssertion(SIGNATURE_DOES_NOT_VERIFY);
    throw unverifiedAssertion("The assertion could not be verified.");
  }
  // The signature verified: the client itself sent this aud, whatever the claims check says of it.
  policy.sawAudience?.(audienceText(payload.aud));
  return checkAssertionClaims(payload, read.clientId, key.id, policy);
}

/** An assertion's aud as one line of text, for the API tab: a string, a list joined by spaces, or "(none)". */
export function audienceText(aud: unknown): string {
  if (typeof aud === "string") return aud;
  if (Array.isArray(aud) && aud.length > 0) return aud.map(String).join(" ");
  return "(none)";
}

/** Step 3, pure: the claims of RFC 7523 3 and seed 002. */
export function checkAssertionClaims(payload: JWTPayload, clientId: string, keyId: string, policy: AssertionPolicy): VerifiedAssertion {
  const fail = (description: string) => new OAuthError("invalid_client", description);
  if (payload.iss !== clientId || payload.sub !== clientId) throw fail("iss and sub must both be your client_id.");

  const audiences = typeof payload.aud === "string" ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
  const accepted = policy.legacyAudience ? [policy.issuer, policy.tokenEndpoint] : [policy.issuer];
  if (audiences.length !== 1 || !accepted.includes(audiences[0] as string)) {
    const aud = audiences[0];
    if (audiences.length === 0) throw fail(`aud is missing: set it to the issuer identifier ${policy.issuer}`);
    if (audiences.length > 1) throw fail(`aud must be the single issuer identifier ${policy.issuer}, not a list.`);
    if (aud === `${policy.issuer}/` || `${aud}/` === policy.issuer) {
      throw fail(`aud differs from the issuer identifier by a trailing slash; it must be exactly ${policy.issuer}`);
    }
    if (aud === policy.tokenEndpoint) {
      // The switch exists for libraries that cannot be told otherwise; the SPOC sees on the API tab which aud each client sends.
      throw fail(
        `aud is the token endpoint URL; it must be the issuer identifier ${policy.issuer} (RFC 10070). If your library cannot send that, ask the platform operator to turn on this client's legacy audience switch.`,
      );
    }
    throw fail(`aud must be the issuer identifier ${policy.issuer}`);
  }

  const now = Math.floor(policy.now.getTime() / 1000);
  if (typeof payload.exp !== "number") throw fail("exp is required.");
  if (payload.exp <= now - CLOCK_SKEW_SECONDS) throw fail("The assertion has expired (exp is in the past).");
  // Seed 002 lists iat among the claims to send, and the 5-minute limit is measured from it.
  if (payload.iat === undefined) throw fail("iat is required: the time you signed the assertion, in seconds since 1970.");
  if (typeof payload.iat !== "number") throw fail("iat must be a number of seconds.");
  if (payload.iat > now + CLOCK_SKEW_SECONDS) throw fail("iat is in the future: check your clock.");
  if (typeof payload.nbf === "number" && payload.nbf > now + CLOCK_SKEW_SECONDS)
    throw fail("nbf is in the future: the assertion is not valid yet.");
  const issuedAt = payload.iat;
  if (payload.exp - issuedAt > MAX_ASSERTION_LIFETIME_SECONDS) {
    throw fail(`exp is ${payload.exp - issuedAt} s after iat; at most ${MAX_ASSERTION_LIFETIME_SECONDS} s (5 minutes) is allowed.`);
  }
  if (typeof payload.jti !== "string" || payload.jti.length === 0)
    throw fail("jti is required: a unique id (e.g. a UUID) for every assertion.");
  if (payload.jti.length > 200) throw fail("jti is longer than 200 characters.");
  // The jti is stored to refuse replays (RFC 7523 3 (7)): it must be text the database can hold.
  const jtiProblem = unstorableTextProblem(payload.jti);
  if (jtiProblem) throw fail(`jti: ${jtiProblem} A UUID is a good jti.`);
  return { clientId, keyId, jti: payload.jti, jtiExpiresAt: new Date((payload.exp + CLOCK_SKEW_SECONDS) * 1000) };
}
