import { authorizeOperator, type OrganisationContext } from "@/lib/context";
import { isWellFormedClientId } from "@/lib/crypto/client-id";
import { type ClientDto, findOrganisationClient, listOrganisationClients } from "@/lib/data/clients";
import { DomainError } from "@/lib/errors";

/*
 * The platform operator reads an organisation's clients with their settings, as the Platform area
 * shows them (the organisation's own people read them through lib/credentials/list-clients.ts).
 */

export async function listClientsOfOrganisation(ctx: OrganisationContext): Promise<ClientDto[]> {
  authorizeOperator(ctx);
  return listOrganisationClients(ctx.db, ctx.organisation.id);
}

/** One client of the organisation; another organisation's, or an ID that cannot exist, is not found. */
export async function readClientOfOrganisation(ctx: OrganisationContext, clientId: string): Promise<ClientDto> {
  authorizeOperator(ctx);
  const client = isWellFormedClientId(clientId) ? await findOrganisationClient(ctx.db, ctx.organisation.id, clientId) : null;
  if (!client) throw new DomainError("not_found", `There is no client ${clientId} in this organisation.`);
  return client;
}
