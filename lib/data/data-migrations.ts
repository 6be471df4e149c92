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
  /** The SQL migrations this run applied (tags); empty when the database was current. */
  sqlMigrations?: string[];
  clearTextSessionsDropped: number;
  reencryption: ReencryptionReport;
}

export async function runDataMigrations(db: Database, keyRing: KeyRing): Promise<DataMigrationReport> {
  return {
    clearTextSessionsDropped: await deleteClearTextSessions(db),
    reencryption: await reencryptLegacyCiphertexts(db, keyRing),
  };
}

/**
 * SQL migrations (in one transaction under the migration lock, db/migrate.ts), then the data
 * migrations. Those run outside the lock: each is idempotent and works row by row, so two
 * instances running them at once write the same result.
 */
export async function migrateDatabase(handle: DatabaseHandle, keyRing: KeyRing): Promise<DataMigrationReport> {
  const sqlMigrations = await handle.migrate();
  return { sqlMigrations, ...(await runDataMigrations(handle.db, keyRing)) };
}

/** Lines for an operator: counts, and the rows (never the values) that could not be re-encrypted. */
export function describeDataMigrations(report: DataMigrationReport): { info: string[]; warnings: string[] } {
  const info: string[] = [];
  if (report.sqlMigrations?.length) {
    info.push(`Applied ${report.sqlMigrations.length} migration(s): ${report.sqlMigrations.join(", ")}.`);
  }
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
