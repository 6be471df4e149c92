import { z } from "zod";
import type { Database } from "@/db/client";
import { isWellFormedClientId } from "@/lib/crypto/client-id";
import type { OrganisationDto } from "@/lib/data/organisations";
import { isClientOfOrganisation } from "@/lib/data/scope";
import { createTokenStore, isAssertionConsumed } from "@/lib/data/token-store";
import { textField } from "@/lib/text-field";
import {
  type RegisteredKey,
  readClientAssertion,
  SIGNATURE_DOES_NOT_VERIFY,
  type UnverifiedAssertion,
  verifyClientAssertion,
} from "./client-assertion";
import type { JwksSource } from "./client-jwks-source";
import { ASSERTION_ALGORITHMS_BY_KEY_TYPE, JWT_BEARER_ASSERTION_TYPE } from "./constants";
import { OAuthError } from "./errors";

/** The Dev Tools form: a pasted assertion and, optionally, the client_assertion_type to check with it. */
export const assertionCheckInput = z.object({
  assertion: textField({
    required: "Paste a client_assertion (a signed JWT).",
    max: 20_000,
    tooLong: "That is far too long for an assertion.",
  }),
  assertionType: textField({ max: 200, tooLong: "A client_assertion_type is under 200 characters." }).optional(),
});

export type AssertionVerdict =
  | { ok: true; clientId: string; keyKid: string; message: string }
  | { ok: false; error: string; description: string };

/**
 * Dev Tools: the token endpoint's own checks on a pasted client_assertion, for clients of the
 * caller's organisation only, without consuming its jti (so the assertion can still be used).
 */
export async function checkAssertion(
  db: Database,
  organisation: OrganisationDto,
  input: { assertion: string; assertionType?: string },
  config: { issuer: string; now: Date; jwks?: JwksSource },
): Promise<AssertionVerdict> {
  let read: UnverifiedAssertion | undefined;
  let keys: readonly RegisteredKey[] = [];
  try {
    read = readClientAssertion(input.assertionType ?? JWT_BEARER_ASSERTION_TYPE, input.assertion.trim(), undefined);
    // Not looked up unless it could be a client ID at all (a NUL byte would fail the query).
    if (!isWellFormedClientId(read.clientId)) {
      return {
        ok: false,
        error: "invalid_client",
        description: "The assertion's iss and sub must be your client_id: 8 to 64 letters, digits, - or _.",
      };
    }
    if (!(await isClientOfOrganisation(db, organisation.id, read.clientId)))
      return {
        ok: false,
        error: "invalid_client",
        description: `"${read.clientId.slice(0, 80)}" is not a client of ${organisation.name}.`,
      };
    const found = await createTokenStore(db).findClientWithKeys(read.clientId, config.now);
    if (!found) return { ok: false, error: "invalid_client", description: "This client is disabled." };
    // The keys the client publishes at its JWKS URL count here as at the token endpoint.
    const published =
      found.client.jwksUri && config.jwks
        ? await config.jwks.keysFor({ id: found.client.id, jwksUri: found.client.jwksUri }, read.kid, config.now)
        : [];
    keys = [...found.keys, ...published];
    const verified = await verifyClientAssertion(read, keys, {
      issuer: config.issuer,
      tokenEndpoint: `${config.issuer}/oauth/token`,
      legacyAudience: found.client.legacyAudience,
      now: config.now,
    });
    if (await isAssertionConsumed(db, read.clientId, verified.jti))
      return {
        ok: false,
        error: "invalid_client",
        description: "This assertion's jti has already been used: sign a new assertion for every request.",
      };
    const key = keys.find((k) => k.id === verified.keyId);
    return {
      ok: true,
      clientId: read.clientId,
      keyKid: key?.kid ?? "",
      message: "The token endpoint would accept this assertion (its jti has not been used; checking it here does not use it up).",
    };
  } catch (error) {
    if (error instanceof OAuthError) {
      // The client's own designated user is told the precise reason the token endpoint keeps to its log.
      const detail = error.reason ?? error.description;
      const hint = read && detail === SIGNATURE_DOES_NOT_VERIFY ? familyHint(read, keys) : "";
      return { ok: false, error: error.error, description: `${detail}${hint}` };
    }
    throw error;
  }
}

/**
 * The token endpoint answers a key of the other family like any signature that does not verify
 * (lib/oauth/client-assertion.ts); the organisation's own Dev Tools may say which it was, since the
 * person checking can see the client's keys on the API tab anyway.
 */
function familyHint(read: UnverifiedAssertion, keys: readonly RegisteredKey[]): string {
  const key = read.kid !== undefined ? keys.find((k) => k.kid === read.kid) : keys.length === 1 ? keys[0] : undefined;
  if (!key || (ASSERTION_ALGORITHMS_BY_KEY_TYPE[key.keyType] as readonly string[]).includes(read.alg)) return "";
  const family = key.keyType === "EC" ? "an EC P-256 key, which verifies ES256 only" : "an RSA key, which verifies RS256 and PS256";
  return ` The key "${key.kid.slice(0, 40)}" is ${family}, but this assertion says ${read.alg}: sign with the key's own algorithm, or name a key of the right type in kid.`;
}
