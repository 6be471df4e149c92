/**
 * `tsx scripts/bench/explain-scheduler.ts`: EXPLAIN (ANALYZE, BUFFERS) of the scheduler's due-row
 * statements, exactly as lib/data/scheduler.ts builds them, on an existing database (such as the
 * one `BENCH_MODE=idle npm run bench:cron` leaves behind). Each runs in a transaction that is
 * rolled back, so recording expiries changes nothing. A tool for docs/scheduler-performance.md.
 *
 * Options (environment): DATABASE_URL (the database to explain on), EXPLAIN_AT (an ISO instant,
 * default now), EXPLAIN_JIT (off, as lib/data/scheduler.ts runs them: SET LOCAL jit = off first;
 * server: the server's own setting, as before).
 */

import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import postgres from "postgres";
import type { Executor } from "@/db/client";
import { autoIssueCandidates, clientIdAfter, dueReminders, recordExpiries } from "@/lib/data/scheduler";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("set DATABASE_URL to the database to explain on");
const at = process.env.EXPLAIN_AT ?? new Date().toISOString();

/** Captures the statements a data-layer function would run, without running them. */
async function statementsOf(fn: (db: Executor) => Promise<unknown>): Promise<SQL[]> {
  const captured: SQL[] = [];
  const fake = {
    async execute(q: SQL) {
      captured.push(q);
      return [];
    },
  } as unknown as Executor;
  await fn(fake);
  return captured;
}

const dialect = new PgDialect();
const client = postgres(url, { max: 1, onnotice: () => {} });
const cases: [string, (db: Executor) => Promise<unknown>][] = [
  ["auto-issue candidates (first page)", (db) => autoIssueCandidates(db, at, clientIdAfter("00000000-0000-0000-0000-000000000000"), 1000)],
  ["record expiries (secrets, then keys)", (db) => recordExpiries(db, at)],
  ["due secret reminders (first page)", (db) => dueReminders(db, "secret", at, 1000)],
];
for (const [name, fn] of cases) {
  for (const statement of await statementsOf(fn)) {
    const query = dialect.sqlToQuery(statement);
    const session = await client.reserve();
    await session.unsafe("begin");
    if (process.env.EXPLAIN_JIT !== "server") await session.unsafe("set local jit = off");
    const plan = await session.unsafe(`explain (analyze, buffers) ${query.sql}`, query.params as never[]);
    await session.unsafe("rollback");
    session.release();
    console.info(`\n=== ${name}\n${plan.map((r) => r["QUERY PLAN"]).join("\n")}`);
  }
}
await client.end();
