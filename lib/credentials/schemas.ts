import { z } from "zod";
import { CLIENT_ID_PATTERN } from "@/lib/crypto/client-id";
import { isValidTimeZone } from "@/lib/rotation/calendar";
import { storableText, textField } from "@/lib/text-field";

/**
 * The inputs of the credential use cases, shared by the forms, the server actions, the management
 * API (and its OpenAPI document) and the CLI, so they cannot drift apart.
 */

export const clientIdField = storableText({ error: "Give the client ID." })
  .trim()
  .regex(CLIENT_ID_PATTERN, { error: "A client ID is 8 to 64 letters, digits, - or _." })
  .describe("The public client_id");

export const uuidField = (what: string) => z.uuid({ error: `That is not a valid ${what} id.` });

/** A name the organisation gives a secret or key, so two live ones can be told apart. */
export const credentialLabelField = storableText()
  .trim()
  .min(1, { error: "A label is 1 to 60 characters; leave it out for none." })
  .max(60, { error: "Keep the label to 60 characters." })
  .optional()
  .describe("A label to tell it apart, e.g. 'production cluster' (up to 60 characters)");

const calendarDay = storableText()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Give the date as YYYY-MM-DD." })
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
    error: "That date does not exist.",
  });

/** What happens to the old secret when a new one is issued (docs/domain.md, "Client secrets"). */
export const OLD_SECRET_CHOICES = ["overlap", "unchanged", "until", "revoke"] as const;

/** The old secret's fate, shared by the portal's dialog, the management API's body and the CLI. */
export const oldSecretChoiceShape = {
  oldSecret: z
    .enum(OLD_SECRET_CHOICES, { error: "Choose overlap, unchanged, until or revoke for the old secret." })
    .default("overlap")
    .describe(
      "How long the old secret keeps working: overlap (until the end of the overlap counted from today, the default), unchanged, until (the end of oldSecretLastDay), or revoke (at once, after a leak)",
    ),
  oldSecretLastDay: calendarDay
    .optional()
    .describe("With oldSecret=until: the old secret's last day (organisation's time zone), YYYY-MM-DD, today at the earliest"),
  compromised: z.boolean().default(false).describe("The same as oldSecret=revoke: revoke every live secret at once (after a leak)"),
};

export function requireLastDayForUntil(input: { oldSecret: string; oldSecretLastDay?: string }, ctx: z.RefinementCtx): void {
  if (input.oldSecret === "until" && input.oldSecretLastDay === undefined) {
    ctx.addIssue({ code: "custom", path: ["oldSecretLastDay"], message: "Give the old secret's last day as YYYY-MM-DD." });
  }
}

export const rotateSecretInput = z
  .object({ clientId: clientIdField, label: credentialLabelField, ...oldSecretChoiceShape })
  .superRefine(requireLastDayForUntil);
/** What a use-case caller passes: the old secret's fate defaults to the overlap, as the schema says. */
export type RotateSecretInput = Omit<z.infer<typeof rotateSecretInput>, "oldSecret"> & {
  oldSecret?: (typeof OLD_SECRET_CHOICES)[number];
};

export const revokeSecretInput = z.object({
  clientId: clientIdField,
  secretId: uuidField("secret"),
  reason: textField({ max: 200, tooLong: "Keep the reason under 200 characters." }).optional(),
  confirmClientId: storableText()
    .trim()
    .optional()
    .describe("The client ID typed again: needed when the secret was used in the last 24 hours and the new one never"),
});
export type RevokeSecretInput = z.infer<typeof revokeSecretInput>;

export const revealSecretInput = z.object({ clientId: clientIdField, secretId: uuidField("secret") });
export type RevealSecretInput = z.infer<typeof revealSecretInput>;

export const registerKeyInput = z.object({
  clientId: clientIdField,
  key: textField({
    required: "Paste a public key in PEM or JWK format.",
    max: 20_000,
    tooLong: "That is far too long for a public key.",
    trim: false,
  }).describe("An RSA public key (2048 to 4096 bits) or an EC public key on the P-256 curve (for ES256), as PEM or as a JWK (JSON text)"),
  kid: storableText()
    .trim()
    .regex(/^[\x21-\x7e]{1,128}$/, { error: "A key ID is 1 to 128 visible characters, no spaces." })
    .optional()
    .describe("Key ID; defaults to the RFC 7638 thumbprint"),
  expiresOn: calendarDay.optional().describe("Last day the key is accepted (organisation's time zone), YYYY-MM-DD"),
  label: credentialLabelField,
});
export type RegisterKeyInput = z.infer<typeof registerKeyInput>;

export const revokeKeyInput = z.object({ clientId: clientIdField, keyId: uuidField("key") });
export type RevokeKeyInput = z.infer<typeof revokeKeyInput>;

export const rotationPolicyInput = z
  .object({
    validityDays: z.coerce
      .number({ error: "Give the validity in days." })
      .int({ error: "Use whole days." })
      .min(1, { error: "A secret must be valid for at least 1 day." }),
    overlapDays: z.coerce
      .number({ error: "Give the overlap in days." })
      .int({ error: "Use whole days." })
      .min(0, { error: "The overlap cannot be negative." }),
    reminderOffsets: z
      .array(z.coerce.number().int({ error: "Reminder days are whole numbers." }).min(0, { error: "Reminder days cannot be negative." }))
      .max(12, { error: "At most 12 reminders." })
      .transform((xs) => [...new Set(xs)].sort((a, b) => b - a)),
    autoIssue: z.boolean(),
    secretRevealPolicy: z.enum(["reveal", "show_once"], { error: "Choose reveal or show once." }),
  })
  .superRefine((p, ctx) => {
    // At most two live secrets (docs/domain.md): with an overlap of half the validity or more, the
    // next secret's auto-issue day would come while the previous two are both still live, and it
    // would be late.
    if (p.overlapDays >= p.validityDays) {
      ctx.addIssue({ code: "custom", path: ["overlapDays"], message: "The overlap must be shorter than the validity period." });
    } else if (p.overlapDays * 2 >= p.validityDays) {
      ctx.addIssue({
        code: "custom",
        path: ["overlapDays"],
        message: `The overlap must be shorter than half the validity period (under ${Math.ceil(p.validityDays / 2)} days for ${p.validityDays} days' validity): otherwise the next secret would be due while two are still live.`,
      });
    }
    const tooLate = p.reminderOffsets.find((d) => d > p.validityDays);
    if (tooLate !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["reminderOffsets"],
        message: `A reminder ${tooLate} days before expiry is longer than the validity period.`,
      });
    }
  });
export type RotationPolicyInput = z.infer<typeof rotationPolicyInput>;

export const timeZoneField = storableText().refine(isValidTimeZone, {
  error: "Use an IANA time zone such as Europe/London or Asia/Kolkata.",
});

/** "30, 20, 10" as typed in a form or on the command line. */
export function parseDayList(text: string): number[] | string {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  // An emptied field would silently turn every reminder off: say so instead.
  if (parts.length === 0)
    return "Enter the days before expiry to send reminders on, separated by commas (for example 30, 20, 10, 5, 3, 0).";
  const numbers = parts.map(Number);
  const bad = parts.find((_part, i) => !Number.isInteger(numbers[i]));
  return bad === undefined ? numbers : `"${bad}" is not a whole number of days.`;
}

/** A client's JWKS URL, or none (docs/domain.md, "Keys at a JWKS URL"); whether it may be used is checked by the use case. */
export const setJwksUriInput = z.object({
  clientId: clientIdField,
  jwksUri: storableText({ error: "Give the JWKS URL, or remove it." })
    .trim()
    .max(2000, { error: "A JWKS URL is at most 2,000 characters." })
    .nullable(),
});
export type SetJwksUriInput = z.infer<typeof setJwksUriInput>;

/** The legacy aud switch of one client, as its designated user sets it (where the operator allows). */
export const setLegacyAudienceInput = z.object({ clientId: clientIdField, legacyAudience: z.boolean() });
export type SetLegacyAudienceInput = z.infer<typeof setLegacyAudienceInput>;
