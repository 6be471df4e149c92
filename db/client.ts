import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { lockFolder, releaseFolder } from "./folder-lock";
import { migrateUnderLock } from "./migrate";
import * as schema from "./schema";

/** Either driver, one type: the data layer never knows which it has. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  driver: "pglite" | "postgres";
  /** The PGlite client, for dumping a test template; absent on postgres.js. */
  pglite?: PGlite;
  /** Plain SQL with $n parameters, for a library that writes its own statements (rate-limiter-flexible). */
  rawQuery(text: string, values: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number }>;
  /** Applies the migrations not yet recorded, under the migration lock (db/migrate.ts); returns their tags. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/** "transaction": behind PgBouncer's transaction pooling (lib/env.ts, DATABASE_POOL_MODE). */
export type PoolMode = "session" | "transaction";

export type DatabaseTarget = { url: string; poolMode?: PoolMode } | { pgliteDir: string } | { memory: true; loadDataDir?: Blob };

/**
 * postgres.js options for a pool mode. Behind transaction pooling no statement is prepared by name
 * (PgBouncer before 1.21 does not carry them between server connections, and a later transaction of
 * the same client may run on another): every query goes as an unnamed statement, parsed each time.
 */
export function driverOptions(poolMode: PoolMode = "session") {
  return { onnotice: () => {}, prepare: poolMode !== "transaction" };
}

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if ("url" in target) {
    const sql = postgres(target.url, { max: 10, ...driverOptions(target.poolMode) });
    const db = drizzlePostgres(sql, { schema }) as unknown as Database;
    return {
      db,
      driver: "postgres",
      rawQuery: async (text, values) => {
        const result = await sql.unsafe(text, values as postgres.ParameterOrJSON<never>[]);
        return { rows: [...result] as Record<string, unknown>[], rowCount: result.count ?? result.length };
      },
      migrate: () => migrateUnderLock(db, migrationsFolder),
      close: () => sql.end({ timeout: 5 }),
    };
  }
  let client: PGlite;
  let release = () => {};
  if ("pgliteDir" in target) {
    lockFolder(target.pgliteDir);
    release = () => releaseFolder(target.pgliteDir);
    // PGlite does not create parent folders (docs/architecture.md, "Notes on the stack").
    mkdirSync(target.pgliteDir, { recursive: true });
    client = new PGlite(target.pgliteDir);
  } else {
    client = new PGlite(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {});
  }
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    driver: "pglite",
    pglite: client,
    rawQuery: async (text, values) => {
      const result = await client.query<Record<string, unknown>>(text, values);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    migrate: () => migrateUnderLock(db, migrationsFolder),
    close: async () => {
      await client.close();
      release();
    },
  };
}
