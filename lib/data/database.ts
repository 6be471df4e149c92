import path from "node:path";
import { type Database, type DatabaseHandle, openDatabase } from "@/db/client";
import { isEmpty, seedDemoData } from "@/db/seed";
import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { env } from "@/lib/env";
import { describeDataMigrations, migrateDatabase } from "./data-migrations";

/**
 * The process's one database handle. Kept on globalThis so that re-evaluated modules (dev
 * reloads, a second bundle in the same process) share one PGlite instance instead of opening the
 * folder twice.
 */
const globalKey = Symbol.for("rotor.database");
type Holder = { [globalKey]?: Promise<DatabaseHandle> };

export function embeddedDataFolder(dataDir: string): string {
  return path.join(dataDir, "pglite");
}

export interface OpenOptions {
  /** Embedded mode only: load the demo into an empty database, as the server does on its first start. */
  seedDemoWhenEmpty: boolean;
  log: { info(line: string): void; warn(line: string): void };
}

/**
 * The configured database, as every process opens it (the server, the CLI): the Postgres of
 * DATABASE_URL, or the embedded folder, which is self-contained and so migrated on open (SQL,
 * then data migrations). The embedded folder refuses a second process (db/folder-lock.ts).
 */
export async function openConfiguredDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  const e = env();
  if (e.DATABASE_URL) {
    const handle = await openDatabase({ url: e.DATABASE_URL, poolMode: e.DATABASE_POOL_MODE });
    // ROTOR_MIGRATE_ON_START: each instance migrates as it starts; the migration lock
    // (db/migrate.ts) lets instances starting together do it once (docs/operations.md, "Migrations").
    if (e.ROTOR_MIGRATE_ON_START) {
      try {
        const { info, warnings } = describeDataMigrations(await migrateDatabase(handle, loadKeyRing(e)));
        options.log.info(info.length ? info.join("\n") : "Migrations: the database is current.");
        for (const line of warnings) options.log.warn(line);
      } catch (error) {
        await handle.close();
        throw error;
      }
    }
    return handle;
  }
  const handle = await openDatabase({ pgliteDir: embeddedDataFolder(e.dataDir) });
  try {
    const keyRing = loadKeyRing(e);
    const { info, warnings } = describeDataMigrations(await migrateDatabase(handle, keyRing));
    for (const line of info) options.log.info(line);
    for (const line of warnings) options.log.warn(line);
    if (options.seedDemoWhenEmpty && (await isEmpty(handle.db))) await seedDemoData(handle.db, { now: new Date(), keyRing });
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

function open(): Promise<DatabaseHandle> {
  return openConfiguredDatabase({ seedDemoWhenEmpty: true, log: console });
}

export function getDatabaseHandle(): Promise<DatabaseHandle> {
  const holder = globalThis as Holder;
  holder[globalKey] ??= open().catch((error: unknown) => {
    delete holder[globalKey];
    throw error;
  });
  return holder[globalKey];
}

export async function getDb(): Promise<Database> {
  return (await getDatabaseHandle()).db;
}

/**
 * Closes the process's database handle, if it was opened: the last step of a graceful shutdown
 * (lib/http/graceful-shutdown.ts), after the usage records are flushed. postgres.js lets its
 * running queries finish (up to 5 s) before it ends its connections.
 */
export async function closeDatabase(): Promise<void> {
  const holder = globalThis as Holder;
  const pending = holder[globalKey];
  if (!pending) return;
  delete holder[globalKey];
  await (await pending).close();
}
