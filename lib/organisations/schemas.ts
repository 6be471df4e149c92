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
  /** Where they work: one of the organisation's open offices (lib/organisations/set-member-office.ts). */
  officeId: z.uuid({ error: "Choose an office from the list." }).optional(),
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

export const scopeList = z
  .array(storableText().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, { error: "A scope is printable characters without spaces or quotes." }))
  .max(50, { error: "At most 50 scopes." })
  .transform((v) => [...new Set(v)]);
export const audienceList = z
  .array(absoluteUri)
  .max(50, { error: "At most 50 audiences." })
  .transform((v) => [...new Set(v)]);
export const tokenLifetime = z.coerce
  .number({ error: "Give the access-token lifetime in seconds, e.g. 3600." })
  .int({ error: "Give the access-token lifetime in whole seconds." })
  .min(60, { error: "Access tokens live at least 60 seconds." })
  .max(86_400, { error: "Access tokens live at most 86400 seconds (a day)." });
export const signingAlgorithm = z.enum(["ES256", "RS256"], { error: "The signing algorithm is ES256 or RS256." });

/**
 * The default audience is chosen, never implied by order (docs/domain.md, "Clients"): one of the
 * audiences; it may be left out only when there is at most one (that one is then the default).
 */
export function chooseDefaultAudience(audiences: readonly string[], named: string | undefined): string | null | { refusal: string } {
  if (named !== undefined) {
    if (audiences.includes(named)) return named;
    return {
      refusal: audiences.length
        ? `The default audience must be one of the client's audiences: ${audiences.join(", ")}.`
        : "A client without audiences has the platform's own API as its default; add the audience first.",
    };
  }
  if (audiences.length > 1) return { refusal: `Choose the default audience among ${audiences.join(", ")}.` };
  return audiences[0] ?? null;
}

export const optionalUri = storableText()
  .trim()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

export const createClientInput = z
  .object({
    name: textField({ required: "Name the client.", max: 200, tooLong: "Keep the name under 200 characters." }),
    scopes: scopeList.default([]),
    audiences: audienceList.default([]),
    defaultAudience: optionalUri,
    tokenTtlSeconds: tokenLifetime.default(3600),
    legacyAudience: z.boolean().default(false),
    accessTokenAlg: signingAlgorithm.default("ES256"),
  })
  .transform((v, ctx) => {
    const chosen = chooseDefaultAudience(v.audiences, v.defaultAudience);
    if (chosen !== null && typeof chosen === "object") {
      ctx.addIssue({ code: "custom", message: chosen.refusal, path: ["defaultAudience"] });
      return z.NEVER;
    }
    return { ...v, defaultAudience: chosen };
  });
export type CreateClientInput = z.infer<typeof createClientInput>;

const optional = (schema: z.ZodString) =>
  storableText()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(schema.optional());

/** An office, as the Offices tab's form and every other edge send it. */
export const officeInput = z.object({
  name: textField({ required: "Give the office a name.", max: 200, tooLong: "Keep the name under 200 characters." }),
  addressLine1: textField({
    required: "Give the first line of the address.",
    max: 200,
    tooLong: "Keep each address line under 200 characters.",
  }),
  addressLine2: optional(textField({ max: 200, tooLong: "Keep each address line under 200 characters." })),
  town: textField({ required: "Give the town or city.", max: 100, tooLong: "Keep the town under 100 characters." }),
  postcode: storableText({ error: "Give the postcode." })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9][A-Z0-9 -]{1,10}[A-Z0-9]$/, { error: "That does not look like a postcode, e.g. EC3V 1AB or 400051." }),
  country: storableText()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, { error: "Use the two-letter country code, e.g. GB or IN." })
    .default("GB"),
  phone: optional(
    storableText().regex(/^\+?[0-9 ()-]{6,20}$/, { error: "A phone number is digits, spaces, brackets or dashes, e.g. 020 7946 0000." }),
  ),
});
export type OfficeInput = z.infer<typeof officeInput>;

/** An office of the organisation, by id, with its new details. */
export interface UpdateOfficeInput {
  officeId: string;
  office: OfficeInput;
}

const personName = textField({ max: 200, tooLong: "Keep the name under 200 characters." });

export const onboardInput = z.object({
  organisation: createOrganisationInput,
  admin: z.object({ email: emailField, name: personName.optional() }),
  spoc: z.object({ email: emailField, name: personName.optional() }),
});
export type OnboardInput = z.infer<typeof onboardInput>;

const uri = storableText().refine(
  (v) => {
    try {
      return new URL(v).hash === "";
    } catch {
      return false;
    }
  },
  { error: "Each audience is an absolute URI without a fragment, e.g. https://api.example.com/." },
);

export const platformLimitsInput = z.object({
  serviceName: textField({ required: "Give the service a name.", max: 100, tooLong: "Keep the name under 100 characters." }),
  apiEndpoint: storableText()
    .trim()
    .transform((v) => (v === "" ? null : v))
    .pipe(z.url({ error: "The API endpoint is an absolute URL, e.g. https://api.example.com/v1." }).nullable()),
  maxValidityDays: z.coerce
    .number()
    .int({ error: "Use whole days." })
    .min(1, { error: "At least 1 day." })
    .max(3650, { error: "At most 3650 days (ten years)." }),
  allowedAudiences: z.array(uri).max(50, { error: "At most 50 audiences." }),
  adminsMayDesignateSpoc: z.boolean(),
  spocsMaySetJwksUri: z.boolean(),
  spocsMaySetLegacyAudience: z.boolean(),
});
export type PlatformLimitsInput = z.infer<typeof platformLimitsInput>;

/** `successorMembershipId`: who becomes the designated user in the same step, when the one leaving is it. */
export type MembershipInput = { membershipId: string; successorMembershipId?: string };
export type ChangeRoleInput = { membershipId: string; role: (typeof ROLES)[number]; successorMembershipId?: string };
/** `officeId` null clears the person's office. */
export type SetMemberOfficeInput = { membershipId: string; officeId: string | null };
export type DesignateSpocInput = { organisationId: string; email: string };
export type AddOperatorInput = { email: string; name?: string };
