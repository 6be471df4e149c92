import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { createTestDatabase } from "@/db/testing/test-database";
import { holdsAPlace as holdsAPlaceTs, isKeyLive, isLive } from "@/lib/rotation/secret-state";
import { holdsAPlace, keyAccepted, secretAccepted } from "./live";
import { rows } from "./sql-rows";

/*
 * The SQL liveness fragments equal their TypeScript rules on generated rows, boundaries included
 * (an instant equal to created_at, expires_at or revoked_at), so a query and the portal can never
 * disagree about whether a secret is live.
 */

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  await handle.db.execute(
    sql`create table live_probe (id int primary key, created_at timestamptz not null, expires_at timestamptz, revoked_at timestamptz)`,
  );
});
afterAll(async () => handle?.close());

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("the liveness fragments", () => {
  it("agree with isLive, holdsAPlace and isKeyLive on 600 generated rows at instants on and around their boundaries", async () => {
    const random = rng(20261128);
    const now = Date.parse("2026-11-28T12:00:00.000Z");
    // Offsets from now: the instant itself, a millisecond either side, and far either side.
    const near = [0, 0, 1, -1, 1000, -1000, 86_400_000, -86_400_000];
    const pick = () => now + near[Math.floor(random() * near.length)]!;
    const generated = Array.from({ length: 600 }, (_, id) => {
      const createdAt = new Date(pick());
      const expiresAt = random() < 0.15 ? null : new Date(pick());
      const revokedAt = random() < 0.5 ? null : new Date(pick());
      return { id, createdAt, expiresAt, revokedAt };
    });
    const values = generated.map(
      (r) =>
        sql`(${r.id}, ${r.createdAt.toISOString()}::timestamptz, ${r.expiresAt?.toISOString() ?? null}::timestamptz, ${r.revokedAt?.toISOString() ?? null}::timestamptz)`,
    );
    await handle.db.execute(sql`insert into live_probe values ${sql.join(values, sql`, `)}`);
    const cols = { createdAt: sql`created_at`, expiresAt: sql`expires_at`, revokedAt: sql`revoked_at` };
    const at = new Date(now).toISOString();
    const found = await rows<{ id: number; accepted: boolean; holds: boolean; key: boolean }>(
      handle.db,
      sql`select id, ${secretAccepted(cols, at)} as accepted, ${holdsAPlace(cols, at)} as holds, ${keyAccepted(cols, at)} as key
          from live_probe order by id`,
    );
    const instant = new Date(now);
    const disagreements = found.filter((row) => {
      const r = generated[row.id]!;
      const secretRow = { ...r, expiresAt: r.expiresAt ?? new Date(8.64e15) };
      return (
        (r.expiresAt !== null && row.accepted !== isLive(secretRow, instant)) ||
        row.holds !== holdsAPlaceTs(r, instant) ||
        row.key !== isKeyLive(r, instant)
      );
    });
    expect(disagreements).toEqual([]);
    expect(found).toHaveLength(600);
    // The generator reached every outcome, so the comparison is not vacuous.
    expect(new Set(found.map((r) => `${r.accepted}${r.holds}`)).size).toBeGreaterThanOrEqual(3);
  });
});
