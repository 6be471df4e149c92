import { z } from "zod";
import { clientIdField } from "@/lib/credentials/schemas";
import { audienceList, optionalUri, scopeList, signingAlgorithm, tokenLifetime } from "@/lib/organisations/schemas";

/**
 * A change to a client's settings, as the Platform area, the CLI and any future edge send it:
 * every field optional, and one left out stays as it is (docs/domain.md, "Clients").
 */
export const updateClientSettingsInput = z.object({
  clientId: clientIdField,
  scopes: scopeList.optional(),
  audiences: audienceList.optional(),
  defaultAudience: optionalUri.optional(),
  tokenTtlSeconds: tokenLifetime.optional(),
  accessTokenAlg: signingAlgorithm.optional(),
  legacyAudience: z.boolean({ error: "The legacy aud switch is on or off." }).optional(),
});
export type UpdateClientSettingsInput = z.infer<typeof updateClientSettingsInput>;

/** Disabling or enabling a client names it only. */
export const clientSwitchInput = z.object({ clientId: clientIdField });
export type ClientSwitchInput = z.infer<typeof clientSwitchInput>;
