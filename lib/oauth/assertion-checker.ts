import { z } from "zod";
import type { Database } from "@/db/client";
import { isWellFormedClientId } from "@/lib/crypto/client-id";
import type { OrganisationDto } from "@/lib/data/organisations";
import { isClientOfOrganisation } from "@/lib/data/scope";
import { createTokenStore, isAssertionConsumed } from "@/lib/data/token-store";
import { textField } from "@/lib/text-field";
import { readClientAssertion, verifyClientAssertion } from "./client-assertion";
import { JWT_BEARER_ASSERTION_TYPE } from "./constants";
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
  config: { issuer: string; now: Date },
): Promise<AssertionVerdict> {
  try {
    const read = readClientAssertion(input.assertionType ?? JWT_BEARER_ASSERTION_TYPE, input.assertion.trim(), undefined);
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
    const verified = await verifyClientAssertion(read, found.keys, {
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
    const key = found.keys.find((k) => k.id === verified.keyId);
    return {
      ok: true,
      clientId: read.clientId,
      keyKid: key?.kid ?? "",
      message: "The token endpoint would accept this assertion (its jti has not been used; checking it here does not use it up).",
    };
  } catch (error) {
    if (error instanceof OAuthError) return { ok: false, error: error.error, description: error.description };
    throw error;
  }
}
