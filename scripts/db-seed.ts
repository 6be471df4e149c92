/**
 * `npm run db:seed`: demo data dated from today. Refuses a database that already has
 * organisations (pass --reset to wipe the embedded folder's data first is deliberately not
 * offered: drop the database or delete .data instead).
 */
import { openDatabase } from "@/db/client";
import { isEmpty, seedDemoData } from "@/db/seed";
import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { migrateDatabase } from "@/lib/data/data-migrations";
import { embeddedDataFolder } from "@/lib/data/database";
import { env } from "@/lib/env";

const e = env();
if (e.ROTOR_ENV === "production") {
  console.error("Refusing to load demo data into a production deployment (ROTOR_ENV=production).");
  process.exit(1);
}
const handle = await openDatabase(
  e.DATABASE_URL ? { url: e.DATABASE_URL, poolMode: e.DATABASE_POOL_MODE } : { pgliteDir: embeddedDataFolder(e.dataDir) },
);
try {
  await migrateDatabase(handle, loadKeyRing(e));
  if (!(await isEmpty(handle.db))) {
    console.error("The database already has organisations; demo data was not loaded. Use a fresh database (or delete .data).");
    process.exitCode = 1;
  } else {
    await seedDemoData(handle.db, { now: new Date(), keyRing: loadKeyRing(e) });
    console.info(`Demo data loaded (${handle.driver}).`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await handle.close();
}
