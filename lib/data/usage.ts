import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { clientAudienceUsage, clientPublicKeys, clientSecrets } from "@/db/schema";

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
