import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import journal from "@/db/migrations/meta/_journal.json";
import { rows } from "./sql-rows";

/**
 * What /readyz asks the database (lib/health/readiness.ts): one round trip each, no table of ours
 * touched, so a load balancer may poll every second.
 */

/** The database answers a trivial statement. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}

/**
 * The migrations this build ships (db/migrations/meta/_journal.json, bundled at build time so a
 * serverless function needs no file beside it) that the database has not applied. Drizzle's
 * migrator records each applied migration in drizzle.__drizzle_migrations with the journal entry's
 * `when` as created_at, and decides what to apply by that value (drizzle-orm pg-core dialect), so
 * the same value is compared here. A database with no migration table yet has everything pending.
 * Migrations the database has and this build does not know (a newer instance migrated first in a
 * rolling deploy) are not pending: docs/operations.md, "Readiness".
 */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const [exists] = await rows<{ present: boolean }>(db, sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  const applied = new Set<string>();
  if (exists?.present) {
    const recorded = await rows<{ created_at: string | number }>(db, sql`select created_at from drizzle.__drizzle_migrations`);
    for (const row of recorded) applied.add(String(row.created_at));
  }
  return journal.entries.filter((entry) => !applied.has(String(entry.when))).map((entry) => entry.tag);
}
