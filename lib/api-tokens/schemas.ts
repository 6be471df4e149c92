import { z } from "zod";
import { storableText, textField } from "@/lib/text-field";

export const TOKEN_LIFETIMES = [7, 30, 90, 180] as const;

/**
 * A designated user's token, for their organisation: seed 001's Secret-Read and Secret-Reset:
 * "read" lists and reads; "rotate" also rotates, revokes and registers keys.
 */
export const API_TOKEN_SCOPES = ["read", "rotate"] as const;
export type OrganisationTokenScope = (typeof API_TOKEN_SCOPES)[number];
/**
 * Every scope a token may have: also "platform", a platform operator's token, which acts for no
 * one organisation and serves only the operator's endpoints (docs/domain.md, "The management API").
 */
export type ApiTokenScope = OrganisationTokenScope | "platform";

/** What each scope allows, in the words the forms and errors use. */
export const SCOPE_LABELS: Record<OrganisationTokenScope, string> = {
  read: "Read only: list clients, secrets and keys, and read a secret where your policy allows",
  rotate: "Read and rotate: also rotate and revoke secrets, register and revoke keys",
};

export function scopeAllows(granted: OrganisationTokenScope, needed: OrganisationTokenScope): boolean {
  return granted === "rotate" || needed === "read";
}

export const createApiTokenInput = z.object({
  organisation: storableText().regex(/^[a-z0-9-]+$/, { error: "Choose an organisation." }),
  name: textField({
    required: "Name the token after the system that will use it.",
    max: 80,
    tooLong: "Keep the name under 80 characters.",
  }),
  scope: z.enum(API_TOKEN_SCOPES, { error: "Choose what the token may do: read only, or read and rotate." }),
  expiresInDays: z.coerce
    .number()
    .refine((d) => (TOKEN_LIFETIMES as readonly number[]).includes(d), { error: `Choose ${TOKEN_LIFETIMES.join(", ")} days.` }),
});
export type CreateApiTokenInput = z.infer<typeof createApiTokenInput>;

export const revokeApiTokenInput = z.object({ tokenId: z.uuid({ error: "That is not a valid token id." }) });

/** A platform operator's token: only a name and a lifetime; its scope is platform. */
export const createPlatformApiTokenInput = createApiTokenInput.pick({ name: true, expiresInDays: true });
export type CreatePlatformApiTokenInput = z.infer<typeof createPlatformApiTokenInput>;
