import { and, desc, eq, gt, lte, sql } from "drizzle-orm";
import type { Database, Executor, Transaction } from "@/db/client";
import { signingKeys } from "@/db/schema";

export type SigningKeyRow = typeof signingKeys.$inferSelect;

/**
 * Runs `fn` in a transaction that holds the signing-key advisory lock: one instance at a time
 * decides whether a key is needed, so instances starting together do not each make one.
 */
export function withSigningKeyLock<T>(db: Database, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(70110001)`);
    return fn(tx);
  });
}

/** Keys of one algorithm not yet retired at `now`, the latest to sign first. */
export function unretiredKeys(db: Executor, alg: "ES256" | "RS256", now: Date) {
  return db
    .select()
    .from(signingKeys)
    .where(and(eq(signingKeys.alg, alg), gt(signingKeys.retiresAt, now)))
    .orderBy(desc(signingKeys.activatesAt));
}

export async function insertSigningKey(db: Executor, key: typeof signingKeys.$inferInsert): Promise<void> {
  await db.insert(signingKeys).values(key).onConflictDoNothing();
}

/** Keys published at `now` (created and not yet removed), the latest to sign first. */
export function publishedKeys(db: Executor, now: Date): Promise<SigningKeyRow[]> {
  return db
    .select()
    .from(signingKeys)
    .where(and(lte(signingKeys.createdAt, now), gt(signingKeys.removeAfter, now)))
    .orderBy(desc(signingKeys.activatesAt));
}
