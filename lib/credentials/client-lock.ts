import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { clientPublicKeys, clientSecrets, oauthClients } from "@/db/schema";
import { DomainError } from "@/lib/errors";

/**
 * Locks one client of one organisation for the rest of the transaction (SELECT ... FOR UPDATE), so
 * two people rotating at once are serialised and the two-live-secrets rule holds. A client of
 * another organisation is simply not found (architecture.md, convention 3).
 */
export async function lockClient(tx: Executor, organisationId: string, clientId: string) {
  const [client] = await tx
    .select()
    .from(oauthClients)
    .where(and(eq(oauthClients.organisationId, organisationId), eq(oauthClients.clientId, clientId)))
    .for("update");
  if (!client) throw new DomainError("not_found", `There is no client ${clientId} in this organisation.`, "clientId");
  return client;
}

export function secretsOf(tx: Executor, clientUuid: string) {
  return tx.select().from(clientSecrets).where(eq(clientSecrets.clientId, clientUuid));
}

export function keysOf(tx: Executor, clientUuid: string) {
  return tx.select().from(clientPublicKeys).where(eq(clientPublicKeys.clientId, clientUuid));
}
