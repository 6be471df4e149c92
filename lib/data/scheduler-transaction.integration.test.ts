import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { createTestDatabase } from "@/db/testing/test-database";
import { schedulerTransaction } from "./scheduler";
import { rows } from "./sql-rows";

/*
 * The scheduler's statements run without JIT (docs/scheduler-performance.md), and only they: the
 * setting is the transaction's (SET LOCAL), so no pooled connection, and no PgBouncer client
 * after it, inherits it.
 */

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  // The server's default is on; PGlite's is set so here: "off" inside can only come from the scheduler's transaction.
  await handle.db.execute(sql`select set_config('jit', 'on', false)`);
});
afterAll(async () => handle?.close());

const jit = async (db: Parameters<typeof rows>[0]) => (await rows<{ jit: string }>(db, sql`select current_setting('jit') as jit`))[0]!.jit;

describe("a scheduler transaction", () => {
  it("runs its statements with JIT off and leaves the connection as it found it", async () => {
    const outside = await handle.db.transaction((tx) => jit(tx));
    const inside = await schedulerTransaction(handle.db, (tx) => jit(tx));
    expect(inside).toBe("off");
    // Every connection of the pool (and PGlite's one) still has its own setting afterwards.
    const after = await Promise.all(Array.from({ length: 12 }, () => handle.db.transaction((tx) => jit(tx))));
    expect(new Set(after)).toEqual(new Set([outside]));
  });
});
