import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { inject } from "vitest";
import { env } from "@/lib/env";
import { type DatabaseHandle, openDatabase } from "../client";

/**
 * A database of its own for one test file: a fresh database on the real Postgres server when
 * DATABASE_URL is set (as in CI), otherwise PGlite in-process from the migrated template.
 * Through PgBouncer (npm run test:pgbouncer, DATABASE_POOL_MODE=transaction) too: CREATE and DROP
 * DATABASE go as single simple-protocol statements, each its own transaction, which transaction
 * pooling passes through; helper clients never prepare named statements (`prepare: false`).
 */
export async function createTestDatabase(): Promise<DatabaseHandle & { url?: string }> {
  const serverUrl = env().DATABASE_URL;
  if (!serverUrl) {
    const blob = new Blob([readFileSync(inject("pgliteTemplate"))]);
    return openDatabase({ memory: true, loadDataDir: blob });
  }
  const name = `rotor_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, prepare: false });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolMode: env().DATABASE_POOL_MODE });
  await handle.migrate();
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {}, prepare: false });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
