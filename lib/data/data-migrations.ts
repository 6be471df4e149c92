import type { Database, DatabaseHandle } from "@/db/client";
import type { KeyRing } from "@/lib/crypto/encryption";
import { type ReencryptionReport, reencryptLegacyCiphertexts } from "./reencrypt";
import { deleteClearTextSessions } from "./sessions";

/**
 * The steps SQL cannot do, run after the SQL migrations wherever those run (the embedded database
 * at start, `npm run db:migrate`, the CLI, the e2e database). Each is idempotent, so running them
 * on every migration is safe and cheap once there is nothing left to do.
 */

export interface DataMigrationReport {
  clearTextSessionsDropped: number;
  reencryption: ReencryptionReport;
}

export async function runDataMigrations(db: Database, keyRing: KeyRing): Promise<DataMigrationReport> {
  return {
    clearTextSessionsDropped: await deleteClearTextSessions(db),
    reencryption: await reencryptLegacyCiphertexts(db, keyRing),
  };
}

/** SQL migrations, then the data migrations. */
export async function migrateDatabase(handle: DatabaseHandle, keyRing: KeyRing): Promise<DataMigrationReport> {
  await handle.migrate();
  return runDataMigrations(handle.db, keyRing);
}

/** Lines for an operator: counts, and the rows (never the values) that could not be re-encrypted. */
export function describeDataMigrations(report: DataMigrationReport): { info: string[]; warnings: string[] } {
  const info: string[] = [];
  if (report.clearTextSessionsDropped > 0) {
    info.push(`Dropped ${report.clearTextSessionsDropped} session(s) stored in clear; those people sign in again.`);
  }
  if (report.reencryption.reencrypted > 0) {
    info.push(`Re-encrypted ${report.reencryption.reencrypted} value(s) bound to their row.`);
  }
  const warnings = report.reencryption.unreadable.map(
    (u) => `Could not re-encrypt ${u.table} ${u.row}: ${u.reason}. It stays in the old format until it can be read.`,
  );
  return { info, warnings };
}
