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

async function open(): Promise<DatabaseHandle> {
  const e = env();
  if (e.DATABASE_URL) return openDatabase({ url: e.DATABASE_URL });
  const handle = await openDatabase({ pgliteDir: embeddedDataFolder(e.dataDir) });
  // Embedded mode is self-contained: migrate on start, and seed the demo on the first start.
  const keyRing = loadKeyRing(e);
  const { info, warnings } = describeDataMigrations(await migrateDatabase(handle, keyRing));
  for (const line of info) console.info(line);
  for (const line of warnings) console.warn(line);
  if (await isEmpty(handle.db)) await seedDemoData(handle.db, { now: new Date(), keyRing });
  return handle;
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
