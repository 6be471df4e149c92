import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import {
  clientAddresses,
  clientAssertionAudience,
  clientAudienceUsage,
  clientJwksKeyUse,
  clientPublicKeys,
  clientSecrets,
} from "@/db/schema";

/** Last use only ever moves forward, so several instances writing it in any order agree. */
const later = (column: typeof clientSecrets.lastUsedAt | typeof clientPublicKeys.lastUsedAt, at: Date) =>
  sql`greatest(coalesce(${column}, ${at.toISOString()}::timestamptz), ${at.toISOString()}::timestamptz)`;

export async function recordSecretUse(db: Executor, secretId: string, at: Date): Promise<void> {
  await db
    .update(clientSecrets)
    .set({ lastUsedAt: later(clientSecrets.lastUsedAt, at) })
    .where(eq(clientSecrets.id, secretId));
}

export async function recordKeyUse(db: Executor, keyId: string, at: Date): Promise<void> {
  await db
    .update(clientPublicKeys)
    .set({ lastUsedAt: later(clientPublicKeys.lastUsedAt, at) })
    .where(eq(clientPublicKeys.id, keyId));
}

export async function recordAudienceUse(
  db: Executor,
  use: { clientUuid: string; audience: string; count: number; last: Date },
): Promise<void> {
  await db
    .insert(clientAudienceUsage)
    .values({ clientId: use.clientUuid, audience: use.audience, requestCount: use.count, lastSeenAt: use.last })
    .onConflictDoUpdate({
      target: [clientAudienceUsage.clientId, clientAudienceUsage.audience],
      set: {
        requestCount: sql`${clientAudienceUsage.requestCount} + ${use.count}`,
        lastSeenAt: sql`greatest(${clientAudienceUsage.lastSeenAt}, ${use.last.toISOString()}::timestamptz)`,
      },
    });
}

/** A client authenticated from this address (its own systems): upserted in the usage recorder's batches. */
export async function recordClientAddress(db: Executor, use: { clientId: string; address: string; at: Date }): Promise<void> {
  await db
    .insert(clientAddresses)
    .values({ clientId: use.clientId, address: use.address, lastSuccessAt: use.at })
    .onConflictDoUpdate({
      target: [clientAddresses.clientId, clientAddresses.address],
      set: { lastSuccessAt: sql`greatest(${clientAddresses.lastSuccessAt}, ${use.at.toISOString()}::timestamptz)` },
    })
    // A client deleted meanwhile has no addresses to remember.
    .catch((error: unknown) => {
      if ((error as { cause?: { code?: string }; code?: string }).cause?.code !== "23503" && (error as { code?: string }).code !== "23503")
        throw error;
    });
}

/** Whether the client authenticated from this address since `since`. */
export async function isKnownClientAddress(db: Executor, clientId: string, address: string, since: Date): Promise<boolean> {
  const [row] = await db
    .select({ at: clientAddresses.lastSuccessAt })
    .from(clientAddresses)
    .where(and(eq(clientAddresses.clientId, clientId), eq(clientAddresses.address, address), gt(clientAddresses.lastSuccessAt, since)))
    .limit(1);
  return row !== undefined;
}

/** Forgets addresses not seen since `before`. */
export async function sweepClientAddresses(db: Executor, before: Date): Promise<number> {
  const gone = await db
    .delete(clientAddresses)
    .where(lte(clientAddresses.lastSuccessAt, before))
    .returning({ id: clientAddresses.clientId });
  return gone.length;
}

/** The aud a client's verified assertions carried (lib/oauth/usage.ts batches them), at most 300 characters of it. */
export async function recordAssertionAudience(
  db: Executor,
  use: { clientUuid: string; audience: string; count: number; last: Date },
): Promise<void> {
  await db
    .insert(clientAssertionAudience)
    .values({ clientId: use.clientUuid, audience: use.audience.slice(0, 300), requestCount: use.count, lastSeenAt: use.last })
    .onConflictDoUpdate({
      target: [clientAssertionAudience.clientId, clientAssertionAudience.audience],
      set: {
        requestCount: sql`${clientAssertionAudience.requestCount} + ${use.count}`,
        lastSeenAt: sql`greatest(${clientAssertionAudience.lastSeenAt}, ${use.last.toISOString()}::timestamptz)`,
      },
    });
}

/** Last use of a key the client publishes at its JWKS URL; only moves forward, like the others. */
export async function recordJwksKeyUse(db: Executor, use: { clientUuid: string; kid: string; at: Date }): Promise<void> {
  await db
    .insert(clientJwksKeyUse)
    .values({ clientId: use.clientUuid, kid: use.kid, lastUsedAt: use.at })
    .onConflictDoUpdate({
      target: [clientJwksKeyUse.clientId, clientJwksKeyUse.kid],
      set: { lastUsedAt: sql`greatest(${clientJwksKeyUse.lastUsedAt}, ${use.at.toISOString()}::timestamptz)` },
    });
}
