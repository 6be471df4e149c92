/**
 * `npm run db:migrate`: apply the committed migrations to DATABASE_URL (or the embedded folder),
 * in one transaction under the migration lock (db/migrate.ts), so a deploy job and instances with
 * ROTOR_MIGRATE_ON_START running at once migrate once.
 */
import { openDatabase } from "@/db/client";
import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { describeDataMigrations, migrateDatabase } from "@/lib/data/data-migrations";
import { embeddedDataFolder } from "@/lib/data/database";
import { env } from "@/lib/env";

const e = env();
const handle = await openDatabase(
  e.DATABASE_URL ? { url: e.DATABASE_URL, poolMode: e.DATABASE_POOL_MODE } : { pgliteDir: embeddedDataFolder(e.dataDir) },
);
try {
  // SQL migrations, then the data migrations (re-encryption, clear-text sessions dropped).
  const { info, warnings } = describeDataMigrations(await migrateDatabase(handle, loadKeyRing(e)));
  console.info(`Migrations applied (${handle.driver}).`);
  for (const line of info) console.info(line);
  for (const line of warnings) console.warn(line);
} finally {
  await handle.close();
}
