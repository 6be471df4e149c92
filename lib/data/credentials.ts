import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { clientPublicKeys, clientSecrets, oauthClients, organisations } from "@/db/schema";
import type { MintedSecret } from "@/lib/credentials/mint-secret";
import { DomainError, isLiveLimitViolation } from "@/lib/errors";
import { clientOfOrganisation, clientsOfOrganisation } from "./scope";

/**
 * A client's credentials as the use cases of lib/credentials read and change them. Every change
 * runs inside the caller's transaction, after lockClient.
 */

/**
 * Locks one client of one organisation for the rest of the transaction (SELECT ... FOR UPDATE), so
 * changes to its credentials are serialised and the two-live rule holds (docs/domain.md, "Two live
 * secrets, two live keys"). A client of another organisation is simply not found.
 */
export async function lockClient(tx: Executor, organisationId: string, clientId: string) {
  const [client] = await tx.select().from(oauthClients).where(clientOfOrganisation(organisationId, clientId)).for("update");
  if (!client) throw new DomainError("not_found", `There is no client ${clientId} in this organisation.`, "clientId");
  return client;
}

export function secretsOfClient(tx: Executor, clientUuid: string) {
  return tx.select().from(clientSecrets).where(eq(clientSecrets.clientId, clientUuid));
}

export function keysOfClient(tx: Executor, clientUuid: string) {
  return tx.select().from(clientPublicKeys).where(eq(clientPublicKeys.clientId, clientUuid));
}

/** Raised by the database's own two-live limit (db/migrations/0003_live_credential_limits.sql). */
export class LiveLimitReached extends Error {
  override name = "LiveLimitReached";
}

/**
 * Stores a minted secret. Null when a live successor of `replacesSecretId` already exists (the
 * unique "one live successor" index: another issuer won); LiveLimitReached when the database
 * refuses a third live secret.
 */
export async function insertSecret(
  tx: Executor,
  secret: MintedSecret,
  meta: {
    clientUuid: string;
    issuedBy: "user" | "api_token" | "cli" | "auto" | "seed";
    userId: string | null;
    replacesSecretId: string | null;
    label?: string | null;
  },
): Promise<{ id: string; createdAt: Date; expiresAt: Date } | null> {
  const rows = await tx
    .insert(clientSecrets)
    .values({
      id: secret.id,
      clientId: meta.clientUuid,
      digest: secret.digest,
      ciphertext: secret.ciphertext,
      encryptionKeyId: secret.encryptionKeyId,
      maskedTail: secret.maskedTail,
      createdAt: secret.createdAt,
      expiresAt: secret.expiresAt,
      issuedBy: meta.issuedBy,
      createdByUserId: meta.userId,
      replacesSecretId: meta.replacesSecretId,
      label: meta.label ?? null,
    })
    .onConflictDoNothing({ target: clientSecrets.replacesSecretId, where: sql`${clientSecrets.revokedAt} is null` })
    .returning({ id: clientSecrets.id, createdAt: clientSecrets.createdAt, expiresAt: clientSecrets.expiresAt })
    .catch((error: unknown) => {
      if (isLiveLimitViolation(error)) throw new LiveLimitReached("the database refused a third live secret");
      throw error;
    });
  return rows[0] ?? null;
}

export async function revokeSecrets(tx: Executor, ids: string[], revocation: { at: Date; byUserId: string | null; reason: string }) {
  if (ids.length === 0) return;
  await tx
    .update(clientSecrets)
    .set({ revokedAt: revocation.at, revokedByUserId: revocation.byUserId, revokedReason: revocation.reason })
    .where(inArray(clientSecrets.id, ids));
}

/** An earlier end for a secret (a rotation's overlap); the database lets only shortening through unlocked. */
export async function setSecretExpiry(tx: Executor, id: string, expiresAt: Date) {
  await tx.update(clientSecrets).set({ expiresAt }).where(eq(clientSecrets.id, id));
}

export async function insertPublicKey(tx: Executor, values: typeof clientPublicKeys.$inferInsert): Promise<{ id: string }> {
  const [row] = await tx
    .insert(clientPublicKeys)
    .values(values)
    .returning({ id: clientPublicKeys.id })
    .catch((error: unknown) => {
      if (isLiveLimitViolation(error)) throw new LiveLimitReached("the database refused a third live key");
      throw error;
    });
  if (!row) throw new Error("key insert returned nothing");
  return row;
}

export async function revokePublicKey(tx: Executor, id: string, revocation: { at: Date; byUserId: string | null }) {
  await tx
    .update(clientPublicKeys)
    .set({ revokedAt: revocation.at, revokedByUserId: revocation.byUserId })
    .where(eq(clientPublicKeys.id, id));
}

/** One secret of one client of one organisation, for reveal; null when any of the three does not match. */
export async function findSecretOfClient(db: Executor, organisationId: string, clientId: string, secretId: string) {
  const [row] = await db
    .select({ secret: clientSecrets, clientId: oauthClients.clientId })
    .from(clientSecrets)
    .innerJoin(oauthClients, eq(oauthClients.id, clientSecrets.clientId))
    .where(and(eq(clientSecrets.id, secretId), clientOfOrganisation(organisationId, clientId)))
    .limit(1);
  return row ?? null;
}

export interface PolicyValues {
  validityDays: number;
  overlapDays: number;
  reminderOffsets: number[];
  autoIssue: boolean;
  secretRevealPolicy: "reveal" | "show_once";
}

export async function updateOrganisationPolicy(tx: Executor, organisationId: string, policy: PolicyValues, at: Date) {
  await tx
    .update(organisations)
    .set({ ...policy, updatedAt: at })
    .where(eq(organisations.id, organisationId));
}

/** Show-once from now on: every stored ciphertext of the organisation is destroyed. Returns how many. */
export async function destroyOrganisationCiphertexts(tx: Executor, organisationId: string): Promise<number> {
  const clients = tx.select({ id: oauthClients.id }).from(oauthClients).where(clientsOfOrganisation(organisationId));
  const wiped = await tx
    .update(clientSecrets)
    .set({ ciphertext: null, encryptionKeyId: null })
    .where(inArray(clientSecrets.clientId, clients))
    .returning({ id: clientSecrets.id });
  return wiped.length;
}
