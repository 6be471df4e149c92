import { and, asc, eq, gt, isNotNull, notLike, type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { clientSecrets, idempotencyRecords, signingKeys } from "@/db/schema";
import {
  type CipherContext,
  CURRENT_CIPHERTEXT_PREFIX,
  DecryptionError,
  decrypt,
  encrypt,
  type KeyRing,
  KeyRingError,
} from "@/lib/crypto/encryption";
import { idempotencyCipherContext, secretCipherContext, signingKeyCipherContext } from "./cipher-contexts";

/**
 * Data migration, run after the SQL migrations: rewrites every ciphertext still in the old format
 * (additional data = key id only) in the current one, bound to its table, column and row
 * (lib/crypto/encryption.ts), under the current key. Idempotent: only old-format values are read,
 * a batch at a time, and each row is written only if its value is still the one read, so a
 * concurrent writer (or a second run) is never overwritten. A value that cannot be decrypted (its
 * key is no longer in the ring, or it was altered) is left as it is and reported by row, never by
 * value.
 */

export interface ReencryptionReport {
  reencrypted: number;
  unreadable: { table: string; row: string; reason: string }[];
}

const BATCH = 500;
const legacy = (column: Parameters<typeof notLike>[0]): SQL => notLike(column, `${CURRENT_CIPHERTEXT_PREFIX}%`);

export async function reencryptLegacyCiphertexts(db: Database, ring: KeyRing, batchSize = BATCH): Promise<ReencryptionReport> {
  const report: ReencryptionReport = { reencrypted: 0, unreadable: [] };
  await reencryptSecrets(db, ring, batchSize, report);
  await reencryptSigningKeys(db, ring, batchSize, report);
  await reencryptIdempotencyRecords(db, ring, batchSize, report);
  return report;
}

/** The value in the current format, or null (recorded in the report) when the old one cannot be read. */
function reseal(ring: KeyRing, old: { ciphertext: string; keyId: string }, context: CipherContext, report: ReencryptionReport) {
  try {
    return encrypt(decrypt(old.ciphertext, old.keyId, ring, context), ring, context);
  } catch (error) {
    if (!(error instanceof DecryptionError || error instanceof KeyRingError)) throw error;
    report.unreadable.push({ table: context.table, row: context.row, reason: error.message });
    return null;
  }
}

async function reencryptSecrets(db: Database, ring: KeyRing, batchSize: number, report: ReencryptionReport) {
  let after: string | null = null;
  for (;;) {
    const batch = await db
      .select({ id: clientSecrets.id, ciphertext: clientSecrets.ciphertext, keyId: clientSecrets.encryptionKeyId })
      .from(clientSecrets)
      .where(
        and(
          isNotNull(clientSecrets.ciphertext),
          isNotNull(clientSecrets.encryptionKeyId),
          legacy(clientSecrets.ciphertext),
          after === null ? undefined : gt(clientSecrets.id, after),
        ),
      )
      .orderBy(asc(clientSecrets.id))
      .limit(batchSize);
    for (const row of batch) {
      const old = { ciphertext: row.ciphertext as string, keyId: row.keyId as string };
      const sealed = reseal(ring, old, secretCipherContext(row.id), report);
      if (!sealed) continue;
      const written = await db
        .update(clientSecrets)
        .set({ ciphertext: sealed.ciphertext, encryptionKeyId: sealed.keyId })
        .where(
          and(eq(clientSecrets.id, row.id), eq(clientSecrets.ciphertext, old.ciphertext), eq(clientSecrets.encryptionKeyId, old.keyId)),
        )
        .returning({ id: clientSecrets.id });
      report.reencrypted += written.length;
    }
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1]!.id;
  }
}

async function reencryptSigningKeys(db: Database, ring: KeyRing, batchSize: number, report: ReencryptionReport) {
  let after: string | null = null;
  for (;;) {
    const batch = await db
      .select({ id: signingKeys.id, ciphertext: signingKeys.privateCiphertext, keyId: signingKeys.encryptionKeyId })
      .from(signingKeys)
      .where(and(legacy(signingKeys.privateCiphertext), after === null ? undefined : gt(signingKeys.id, after)))
      .orderBy(asc(signingKeys.id))
      .limit(batchSize);
    for (const row of batch) {
      const sealed = reseal(ring, row, signingKeyCipherContext(row.id), report);
      if (!sealed) continue;
      const written = await db
        .update(signingKeys)
        .set({ privateCiphertext: sealed.ciphertext, encryptionKeyId: sealed.keyId })
        .where(
          and(eq(signingKeys.id, row.id), eq(signingKeys.privateCiphertext, row.ciphertext), eq(signingKeys.encryptionKeyId, row.keyId)),
        )
        .returning({ id: signingKeys.id });
      report.reencrypted += written.length;
    }
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1]!.id;
  }
}

/** Stored responses are jsonb { ciphertext, keyId }; a claim still in progress holds {} and is skipped. */
async function reencryptIdempotencyRecords(db: Database, ring: KeyRing, batchSize: number, report: ReencryptionReport) {
  const ciphertext = sql<string>`${idempotencyRecords.responseBody} ->> 'ciphertext'`;
  const keyId = sql<string>`${idempotencyRecords.responseBody} ->> 'keyId'`;
  let after: { tokenId: string; key: string } | null = null;
  for (;;) {
    const batch: { tokenId: string; key: string; ciphertext: string; keyId: string }[] = await db
      .select({ tokenId: idempotencyRecords.tokenId, key: idempotencyRecords.key, ciphertext, keyId })
      .from(idempotencyRecords)
      .where(
        and(
          sql`${ciphertext} is not null`,
          sql`${keyId} is not null`,
          legacy(ciphertext),
          after === null ? undefined : sql`(${idempotencyRecords.tokenId}, ${idempotencyRecords.key}) > (${after.tokenId}, ${after.key})`,
        ),
      )
      .orderBy(asc(idempotencyRecords.tokenId), asc(idempotencyRecords.key))
      .limit(batchSize);
    for (const row of batch) {
      const sealed = reseal(ring, row, idempotencyCipherContext(row.tokenId, row.key), report);
      if (!sealed) continue;
      const written = await db
        .update(idempotencyRecords)
        .set({ responseBody: sealed })
        .where(
          and(
            eq(idempotencyRecords.tokenId, row.tokenId),
            eq(idempotencyRecords.key, row.key),
            sql`${ciphertext} = ${row.ciphertext}`,
            sql`${keyId} = ${row.keyId}`,
          ),
        )
        .returning({ key: idempotencyRecords.key });
      report.reencrypted += written.length;
    }
    if (batch.length < batchSize) return;
    const last = batch[batch.length - 1]!;
    after = { tokenId: last.tokenId, key: last.key };
  }
}
