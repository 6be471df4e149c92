import { and, eq, type SQL } from "drizzle-orm";
import { oauthClients } from "@/db/schema";

/**
 * Tenant scoping, written once: a client is looked up only together with its organisation, so a
 * client of another organisation is simply not found (never "forbidden" with details).
 */
export function clientOfOrganisation(organisationId: string, clientId: string): SQL {
  return and(eq(oauthClients.organisationId, organisationId), eq(oauthClients.clientId, clientId)) as SQL;
}

export function clientsOfOrganisation(organisationId: string): SQL {
  return eq(oauthClients.organisationId, organisationId);
}
