import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/**
 * The key of the Postgres advisory lock every migration run on the server holds
 * (lib/data/signing-keys.ts holds 70110001 for key rotation).
 */
export const MIGRATION_LOCK_KEY = 70110002;

type AnyDatabase = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;

async function rowsOf<T>(result: Promise<unknown>): Promise<T[]> {
  const r = (await result) as T[] | { rows: T[] };
  return Array.isArray(r) ? r : r.rows;
}

/**
 * Applies the migrations of `migrationsFolder` that the database has not recorded, in one
 * transaction that first takes `pg_advisory_xact_lock(MIGRATION_LOCK_KEY)` (docs/operations.md,
 * "Migrations"). Instances starting together (ROTOR_MIGRATE_ON_START) or a deploy job racing one
 * queue on the lock; the second then finds every migration recorded and applies nothing. The
 * lock is a transaction lock, held by the very transaction that migrates, so it also holds through
 * PgBouncer in transaction mode, where a session lock would be taken on one server connection and
 * the migrations run on another.
 *
 * The bookkeeping is drizzle's own (drizzle.__drizzle_migrations: the file's sha256 and the
 * journal's `when` as created_at; drizzle-orm pg-core dialect `migrate`), so `drizzle-kit migrate`
 * and this agree. Unlike drizzle's, it reads what is applied under the lock, and applies every
 * journal entry not recorded (drizzle applies only those newer than the last one recorded).
 * Returns the tags it applied.
 */
export async function migrateUnderLock(db: AnyDatabase, migrationsFolder: string): Promise<string[]> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const journal = readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8");
  const tags = new Map<number, string>(
    (JSON.parse(journal) as { entries: { when: number; tag: string }[] }).entries.map((e) => [e.when, e.tag]),
  );
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(
      sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
    );
    const recorded = await rowsOf<{ created_at: string | number }>(tx.execute(sql`select created_at from drizzle.__drizzle_migrations`));
    const applied = new Set(recorded.map((r) => Number(r.created_at)));
    const done: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.folderMillis)) continue;
      for (const statement of migration.sql) await tx.execute(sql.raw(statement));
      await tx.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
      );
      done.push(tags.get(migration.folderMillis) ?? String(migration.folderMillis));
    }
    return done;
  });
}
