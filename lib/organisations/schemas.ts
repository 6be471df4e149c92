import { z } from "zod";
import { rotationPolicyInput, timeZoneField } from "@/lib/credentials/schemas";
import { ORGANISATION_SLUG_PATTERN } from "@/lib/data/organisations";
import { storableText, textField } from "@/lib/text-field";

/** Inputs for onboarding and managing organisations, users and clients: shared by every edge. */

export const emailField = storableText({ error: "Give an e-mail address." })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "That is not a valid e-mail address." }));

export const slugField = storableText()
  .trim()
  .regex(ORGANISATION_SLUG_PATTERN, {
    error: "A slug is lower-case letters and digits joined by single hyphens, e.g. northwind-insurance.",
  })
  .max(60, { error: "Keep the slug under 60 characters." });

export const createOrganisationInput = z.object({
  name: textField({ required: "Give the organisation's name.", max: 200, tooLong: "Keep the name under 200 characters." }),
  slug: slugField.optional(),
  timeZone: timeZoneField,
  locale: storableText()
    .trim()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/, { error: "Use a locale such as en-GB or en-IN." })
    .default("en-GB"),
  policy: rotationPolicyInput,
});
export type CreateOrganisationInput = z.infer<typeof createOrganisationInput>;

export const ROLES = ["admin", "spoc", "member"] as const;

export const inviteUserInput = z.object({
  email: emailField,
  name: textField({ max: 200, tooLong: "Keep the name under 200 characters." }).optional(),
  role: z.enum(ROLES, { error: "The role is admin, spoc or member." }),
});
export type InviteUserInput = z.infer<typeof inviteUserInput>;

export const deactivateUserInput = z.object({ email: emailField });

const absoluteUri = storableText().refine(
  (v) => {
    try {
      return new URL(v).hash === "";
    } catch {
      return false;
    }
  },
  { error: "An audience is an absolute URI without a fragment, e.g. https://api.example.com/." },
);

export const createClientInput = z.object({
  name: textField({ required: "Name the client.", max: 200, tooLong: "Keep the name under 200 characters." }),
  scopes: z
    .array(storableText().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, { error: "A scope is printable characters without spaces or quotes." }))
    .default([]),
  audiences: z.array(absoluteUri).default([]),
  tokenTtlSeconds: z.coerce
    .number()
    .int()
    .min(60, { error: "Access tokens live at least 60 seconds." })
    .max(86_400, { error: "Access tokens live at most 86400 seconds (a day)." })
    .default(3600),
  legacyAudience: z.boolean().default(false),
  accessTokenAlg: z.enum(["ES256", "RS256"]).default("ES256"),
});
export type CreateClientInput = z.infer<typeof createClientInput>;
