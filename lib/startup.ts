import { getDatabaseHandle } from "@/lib/data/database";
import { env } from "@/lib/env";

/**
 * Server start-up: validate the environment and open the database, or stop with a message that
 * says what is wrong (a bad setting, another process holding the embedded folder).
 */
export async function startOrExit(): Promise<void> {
  try {
    env();
    await getDatabaseHandle();
  } catch (error) {
    console.error(`\n${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
