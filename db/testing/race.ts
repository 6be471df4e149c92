import postgres from "postgres";
import { it } from "vitest";
import { env } from "@/lib/env";

/**
 * Race tests need a Postgres server: PGlite runs one transaction at a time, so two requests can
 * never interleave there and a race test on it would pass whatever the code does. Without a
 * server such a test reports itself skipped, with this reason, never passed.
 */
export const NEEDS_POSTGRES_SERVER =
  "needs a Postgres server (set DATABASE_URL): PGlite runs one transaction at a time, so no race can happen on it";

export const postgresServerConfigured = (): boolean => env().DATABASE_URL !== undefined;

/** A test that runs only against the Postgres server, and says why it was skipped otherwise. */
export function raceTest(name: string, fn: () => Promise<void>, timeout = 60_000): void {
  it(
    name,
    async (context) => {
      context.skip(!postgresServerConfigured(), NEEDS_POSTGRES_SERVER);
      await fn();
    },
    timeout,
  );
}

/**
 * One connection of its own holding a client's row lock in an open transaction, the lock every
 * change to that client's credentials takes first. With it a test lines requests up behind the
 * lock, then lets them go at once: the interleaving that a busy server produces by chance.
 */
export async function holdRowLock(url: string, table: "oauth_client", id: string) {
  const client = postgres(url, { max: 1, onnotice: () => {}, prepare: false });
  const reserved = await client.reserve();
  await reserved.unsafe("begin");
  await reserved.unsafe(`select 1 from ${table} where id = $1 for update`, [id]);
  return {
    /** Runs SQL inside the lock-holding transaction (a concurrent writer's own changes). */
    sql: (text: string, params: (string | null)[] = []) => reserved.unsafe(text, params),
    async release(): Promise<void> {
      await reserved.unsafe("commit");
      reserved.release();
      await client.end();
    },
  };
}

/** Waits (event-driven polling, no fixed sleep) until `count` other sessions wait for a lock. */
export async function waitForLockWaiters(url: string, count: number, limitMs = 45_000): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {}, prepare: false });
  const database = new URL(url).pathname.slice(1);
  try {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const [row] = await client<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity where datname = ${database} and wait_event_type = 'Lock'`;
      if ((row?.n ?? 0) >= count) return;
      if (Date.now() > deadline) throw new Error(`only ${row?.n ?? 0} of ${count} sessions reached the lock`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    await client.end();
  }
}

/** Runs one statement on its own connection (DDL a test needs, such as dropping a trigger). */
export async function runSql(url: string, text: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {}, prepare: false });
  try {
    await client.unsafe(text);
  } finally {
    await client.end();
  }
}
