import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { createTestDatabase } from "@/db/testing/test-database";
import { toCalendarDate } from "@/lib/rotation/calendar";
import { autoIssueDue, daysLeft, expiryDateOf, reminderThreshold, secretExpiry } from "@/lib/rotation/secret-state";
import {
  autoIssueDayReached,
  calendarDay,
  daysLeft as daysLeftSql,
  expiryDay,
  reminderThreshold as reminderThresholdSql,
  reminderWindowEnd,
} from "./schedule-sql";
import { rows } from "./sql-rows";

/*
 * The scheduler's SQL calendar equals lib/rotation's, on generated policies, zones (with and
 * without daylight saving, both hemispheres, odd offsets) and instants placed on and around day
 * boundaries: the reminder day, the auto-issue day and the expiry day cannot drift apart.
 */

const ZONES = [
  "Europe/London",
  "Asia/Kolkata",
  "America/New_York",
  "Australia/Sydney",
  "Pacific/Auckland",
  "America/Santiago",
  "Asia/Kathmandu",
  "Pacific/Chatham",
  "America/St_Johns",
  "UTC",
];
const OFFSETS = [[30, 20, 10, 5, 3, 0], [7, 1], [0], [60, 14, 2], []] as const;

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
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

interface Case {
  zone: string;
  validityDays: number;
  overlapDays: number;
  offsets: readonly number[];
  createdAt: Date;
  expiresAt: Date;
  now: Date;
}

function generate(count: number, seed: number): Case[] {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const T0 = Date.parse("2026-01-01T00:00:00Z");
  return Array.from({ length: count }, () => {
    const zone = pick(ZONES);
    const validityDays = 1 + Math.floor(random() * 365);
    const overlapDays = Math.floor(random() * Math.max(1, Math.floor(validityDays / 2)));
    const createdAt = new Date(T0 + Math.floor(random() * 400) * 86_400_000 + Math.floor(random() * 86_400_000));
    const { expiresAt } = secretExpiry(createdAt, { timeZone: zone, validityDays, overlapDays });
    // Now: within a few days of the expiry or the overlap start, often right at a local midnight
    // (a millisecond either side of it), where a one-day slip would show.
    const anchor = random() < 0.5 ? expiresAt.getTime() : expiresAt.getTime() - overlapDays * 86_400_000;
    const jitter = [0, -1, 1, -86_400_000, 86_400_000, Math.floor((random() - 0.5) * 40 * 86_400_000)];
    const now = new Date(anchor + pick(jitter) + (random() < 0.3 ? Math.floor(random() * 3_600_000) : 0));
    return { zone, validityDays, overlapDays, offsets: pick(OFFSETS), createdAt, expiresAt, now };
  });
}

describe("the scheduler's SQL calendar", () => {
  it("gives the day, the expiry day (also as the database function the webhook triggers use), the days left, the auto-issue day and the reminder threshold of lib/rotation, on 800 generated cases", async () => {
    const cases = generate(800, 20261128);
    const values = cases.map(
      (c, i) =>
        sql`(${i}::int, ${c.zone}::text, ${c.overlapDays}::int, ${`{${c.offsets.join(",")}}`}::int[], ${c.expiresAt.toISOString()}::timestamptz, ${c.now.toISOString()}::timestamptz)`,
    );
    const v = {
      zone: sql`zone`,
      overlap: sql`overlap`,
      offsets: sql`offsets`,
      expiresAt: sql`expires_at`,
      now: sql`now_at`,
    };
    const found = await rows<{
      i: number;
      today: string;
      expiry: string;
      trigger_expiry: string;
      left: number;
      auto: boolean;
      threshold: number | null;
    }>(
      handle.db,
      // rotor_expiry_day is the same rule as a database function, for the webhook triggers (migration 0023_webhooks).
      sql`select i, ${calendarDay(v.now, v.zone)}::text as today, ${expiryDay(v.expiresAt, v.zone)}::text as expiry,
                 rotor_expiry_day(${v.expiresAt}, ${v.zone})::text as trigger_expiry,
                 ${daysLeftSql(v.expiresAt, v.now, v.zone)} as left, ${autoIssueDayReached(v.expiresAt, v.now, v.zone, v.overlap)} as auto,
                 ${reminderThresholdSql(v.expiresAt, v.now, v.zone, v.offsets)} as threshold
          from (values ${sql.join(values, sql`, `)}) as c(i, zone, overlap, offsets, expires_at, now_at)
          order by i`,
    );
    const mismatches = found.flatMap((row) => {
      const c = cases[row.i]!;
      const expected = {
        today: toCalendarDate(c.now, c.zone),
        expiry: expiryDateOf(c.expiresAt, c.zone),
        left: daysLeft(c.expiresAt, c.now, c.zone),
        // autoIssueDue on a lone live secret is exactly "the auto-issue day is reached".
        auto: autoIssueDue([{ createdAt: c.createdAt, expiresAt: c.expiresAt, revokedAt: null }], c.now, {
          timeZone: c.zone,
          validityDays: c.validityDays,
          overlapDays: c.overlapDays,
          autoIssue: true,
        }),
        threshold: reminderThreshold(c.expiresAt, c.now, c.zone, c.offsets),
      };
      const got = {
        today: row.today,
        expiry: row.expiry,
        triggerExpiry: row.trigger_expiry,
        left: Number(row.left),
        auto: row.auto,
        threshold: row.threshold,
      };
      // autoIssueDue also needs the secret to be live at now: compare only where it is.
      const live = c.createdAt <= c.now && c.now < c.expiresAt;
      const differs =
        got.today !== expected.today ||
        got.expiry !== expected.expiry ||
        got.triggerExpiry !== expected.expiry ||
        got.left !== expected.left ||
        (live && got.auto !== expected.auto) ||
        got.threshold !== expected.threshold;
      return differs ? [{ case: c, got, expected }] : [];
    });
    expect(mismatches.slice(0, 3)).toEqual([]);
    // Every outcome was reached, so the comparison is not vacuous.
    expect(new Set(found.map((r) => r.auto)).size).toBe(2);
    expect(new Set(found.map((r) => r.threshold)).size).toBeGreaterThan(4);
  });

  it("never leaves a credential whose reminder is due outside the reminder window, on 800 generated cases", async () => {
    const cases = generate(800, 20261129);
    const values = cases.map(
      (c, i) =>
        sql`(${i}::int, ${Math.max(0, ...c.offsets)}::int, ${c.expiresAt.toISOString()}::timestamptz, ${c.now.toISOString()}::timestamptz)`,
    );
    const found = await rows<{ i: number; inside: boolean }>(
      handle.db,
      sql`select i, expires_at <= ${reminderWindowEnd(sql`now_at`, sql`max_offset`)} as inside
          from (values ${sql.join(values, sql`, `)}) as c(i, max_offset, expires_at, now_at)
          order by i`,
    );
    const due = found.filter((row) => {
      const c = cases[row.i]!;
      return reminderThreshold(c.expiresAt, c.now, c.zone, c.offsets) !== null;
    });
    expect(due.filter((row) => !row.inside).map((row) => cases[row.i])).toEqual([]);
    // Not vacuous: reminders were due in many cases, and the window leaves some credentials out.
    expect(due.length).toBeGreaterThan(100);
    expect(found.some((row) => !row.inside)).toBe(true);
  });
});
