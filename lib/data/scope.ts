import { and, eq, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
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

/** Whether the organisation has a client with this client_id (another organisation's is not found). */
export async function isClientOfOrganisation(db: Executor, organisationId: string, clientId: string): Promise<boolean> {
  const [own] = await db.select({ id: oauthClients.id }).from(oauthClients).where(clientOfOrganisation(organisationId, clientId)).limit(1);
  return own !== undefined;
}
