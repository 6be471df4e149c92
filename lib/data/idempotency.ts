import { and, eq, lte } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { idempotencyRecords } from "@/db/schema";

/** The management API's Idempotency-Key records (lib/management-api/idempotency.ts). */

export const IN_PROGRESS = 0;

/** Claims a key for a request: true when this request is the first with it. */
export async function claimIdempotencyKey(
  db: Executor,
  record: { tokenId: string; key: string; fingerprint: string; at: Date },
): Promise<boolean> {
  const claimed = await db
    .insert(idempotencyRecords)
    .values({
      tokenId: record.tokenId,
      key: record.key,
      requestFingerprint: record.fingerprint,
      responseStatus: IN_PROGRESS,
      responseBody: {},
      createdAt: record.at,
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyRecords.key });
  return claimed.length === 1;
}

export async function findIdempotencyRecord(db: Executor, tokenId: string, key: string) {
  const [row] = await db
    .select()
    .from(idempotencyRecords)
    .where(and(eq(idempotencyRecords.tokenId, tokenId), eq(idempotencyRecords.key, key)));
  return row ?? null;
}

export async function releaseIdempotencyKey(db: Executor, tokenId: string, key: string): Promise<void> {
  await db.delete(idempotencyRecords).where(and(eq(idempotencyRecords.tokenId, tokenId), eq(idempotencyRecords.key, key)));
}

/** Forgets a record older than `before`, so its key can be used afresh; true when one was forgotten. */
export async function releaseIdempotencyKeyIfOlder(db: Executor, tokenId: string, key: string, before: Date): Promise<boolean> {
  const gone = await db
    .delete(idempotencyRecords)
    .where(and(eq(idempotencyRecords.tokenId, tokenId), eq(idempotencyRecords.key, key), lte(idempotencyRecords.createdAt, before)))
    .returning({ key: idempotencyRecords.key });
  return gone.length === 1;
}

export async function storeIdempotentResponse(db: Executor, tokenId: string, key: string, status: number, sealed: Record<string, unknown>) {
  await db
    .update(idempotencyRecords)
    .set({ responseStatus: status, responseBody: sealed })
    .where(and(eq(idempotencyRecords.tokenId, tokenId), eq(idempotencyRecords.key, key)));
}

export async function sweepIdempotencyRecords(db: Executor, before: Date): Promise<number> {
  const gone = await db
    .delete(idempotencyRecords)
    .where(lte(idempotencyRecords.createdAt, before))
    .returning({ key: idempotencyRecords.key });
  return gone.length;
}
