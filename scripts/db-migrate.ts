/** `npm run db:migrate`: apply the committed migrations to DATABASE_URL (or the embedded folder). */
import { openDatabase } from "@/db/client";
import { embeddedDataFolder } from "@/lib/data/database";
import { env } from "@/lib/env";

const e = env();
const handle = await openDatabase(e.DATABASE_URL ? { url: e.DATABASE_URL } : { pgliteDir: embeddedDataFolder(e.dataDir) });
try {
  await handle.migrate();
  console.info(`Migrations applied (${handle.driver}).`);
} finally {
  await handle.close();
}
