import type { SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";

/** Runs raw SQL on either driver and returns its rows (postgres.js gives an array, PGlite { rows }). */
export async function rows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
