import { randomBytes } from "node:crypto";
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { clientSecrets, emailOutbox, memberships, oauthClients, organisations, reminderDeliveries, users } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/test-database";
import { rotateSecret } from "@/lib/credentials/rotate-secret";
import { digestSecret, generateClientSecret, secretTail } from "@/lib/crypto/client-secret";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { startFakeResend } from "@/lib/email/testing/fake-resend";
import { resendTransport } from "@/lib/email/transport";
import { toCalendarDate } from "@/lib/rotation/calendar";
import { daysLeft, isLive, reminderDue, secretExpiry } from "@/lib/rotation/secret-state";
import { runScheduler } from "./run-scheduler";

/*
 * 400 days of cron runs at random times, with days skipped, across organisations in zones with
 * and without daylight saving (both hemispheres), with automatic and manual rotation, and the
 * e-mail API down for a whole day. Before every run, the pure schedule (lib/rotation's
 * reminderDue) says which reminders are due; the run must record exactly those, no more, no less.
 */

const ZONES = [
  "Europe/London",
  "Asia/Kolkata",
  "America/New_York",
  "Australia/Sydney",
  "Pacific/Auckland",
  "America/Santiago",
  "Asia/Tokyo",
  "UTC",
];
const OFFSETS = [30, 20, 10, 5, 3, 0];
const DAYS = 400;
const FAIL_DAY = 150;
const T0 = Date.parse("2026-01-05T00:00:00Z");
const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);

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

/** A number of the client's own, from its fixed ID (a secret's id is a random UUID: not reproducible). */
const clientNumber = (clientId: string) => [...clientId].reduce((n, ch) => n + ch.charCodeAt(0), 0);

let handle: DatabaseHandle;
let resend: Awaited<ReturnType<typeof startFakeResend>>;
const seed = 20261121;
const random = rng(seed);

beforeAll(async () => {
  handle = await createTestDatabase();
  resend = await startFakeResend();
  const db = handle.db;
  for (const [i, zone] of ZONES.entries()) {
    const [org] = await db
      .insert(organisations)
      .values({ slug: `sim-${i}`, name: `Sim ${zone}`, timeZone: zone, autoIssue: i % 2 === 0, reminderOffsets: OFFSETS })
      .returning();
    const people = await db
      .insert(users)
      .values([{ email: `admin${i}@sim.example` }, { email: `spoc${i}@sim.example` }, { email: `gone${i}@sim.example` }])
      .returning();
    await db.insert(memberships).values([
      { organisationId: org!.id, userId: people[0]!.id, role: "admin" },
      { organisationId: org!.id, userId: people[1]!.id, role: "spoc" },
      { organisationId: org!.id, userId: people[2]!.id, role: "admin", status: "deactivated", deactivatedAt: new Date(T0) },
    ]);
    for (let c = 0; c < 2; c++) {
      const [client] = await db
        .insert(oauthClients)
        .values({ organisationId: org!.id, clientId: `sim${i}client${c}xx`, name: `Client ${c}` })
        .returning();
      const createdAt = new Date(T0 - Math.floor(random() * 179 * 86_400_000));
      const value = generateClientSecret();
      await db.insert(clientSecrets).values({
        clientId: client!.id,
        digest: digestSecret(value),
        maskedTail: secretTail(value),
        createdAt,
        expiresAt: secretExpiry(createdAt, { timeZone: zone, validityDays: 180, overlapDays: 30 }).expiresAt,
        issuedBy: "seed",
      });
    }
  }
}, 60_000);

afterAll(async () => {
  await resend?.close();
  await handle?.close();
});

// In a fixed order (rows come back in whatever order the database likes): the random numbers are
// drawn in this order, so the same seed gives the same 400 days every time.
async function liveSecretsWithPolicy(now: Date) {
  const rows = await handle.db
    .select({
      secret: clientSecrets,
      clientId: oauthClients.clientId,
      timeZone: organisations.timeZone,
      offsets: organisations.reminderOffsets,
    })
    .from(clientSecrets)
    .innerJoin(oauthClients, eq(oauthClients.id, clientSecrets.clientId))
    .innerJoin(organisations, eq(organisations.id, oauthClients.organisationId))
    .orderBy(oauthClients.clientId, clientSecrets.createdAt, clientSecrets.expiresAt);
  return rows.filter((r) => isLive(r.secret, now));
}

async function deliveriesBySecret() {
  const rows = await handle.db.select().from(reminderDeliveries).where(isNotNull(reminderDeliveries.secretId));
  const map = new Map<string, number[]>();
  for (const r of rows) map.set(r.secretId!, [...(map.get(r.secretId!) ?? []), r.thresholdDays]);
  return { map, count: rows.length, rows };
}

describe(`400 days of scheduler runs (seed ${seed})`, () => {
  it("records exactly the reminders the pure schedule says are due, once each, and delivers every e-mail despite a day-long outage", async () => {
    const transport = resendTransport({ apiKey: "re_test", baseUrl: resend.url, from: "Rotor <rotor@example.com>" });
    let runs = 0;
    let skippedDays = 0;
    let manualRotations = 0;
    const mismatches: string[] = [];

    // The e-mail API goes down for 24 hours from the first run after FAIL_DAY that has a reminder due.
    let outageStart: number | null = null;
    for (let day = 0; day < DAYS; day++) {
      const r = random();
      const count = r < 0.12 ? 0 : r < 0.5 ? 1 : r < 0.85 ? 2 : 3;
      if (count === 0) skippedDays++;
      const times = Array.from({ length: count }, () => T0 + day * 86_400_000 + Math.floor(random() * 86_400_000)).sort((a, b) => a - b);
      for (const t of times) {
        const now = new Date(t);
        // A designated user of a manual organisation rotates by hand somewhere inside the overlap.
        for (const { secret, clientId, timeZone } of await liveSecretsWithPolicy(now)) {
          const client = await handle.db.select().from(oauthClients).where(eq(oauthClients.id, secret.clientId));
          const org = await handle.db.select().from(organisations).where(eq(organisations.id, client[0]!.organisationId));
          if (org[0]!.autoIssue) continue;
          const live = (await liveSecretsWithPolicy(now)).filter((s) => s.secret.clientId === secret.clientId);
          if (
            live.length === 1 &&
            daysLeft(secret.expiresAt, now, timeZone) <= 4 + ((clientNumber(clientId) + day) % 20) &&
            random() < 0.3
          ) {
            const dto = (await findOrganisationBySlug(handle.db, org[0]!.slug))!;
            await rotateSecret(
              {
                db: handle.db,
                organisation: dto,
                role: "spoc",
                isOperator: false,
                actor: { type: "user", userId: null, label: "spoc" },
                clock: () => now,
                keyRing,
              },
              { clientId: client[0]!.clientId, compromised: false },
            );
            manualRotations++;
          }
        }

        const before = await deliveriesBySecret();
        const expected = new Set<string>();
        for (const { secret, timeZone, offsets } of await liveSecretsWithPolicy(now)) {
          const due = reminderDue(secret.expiresAt, now, timeZone, offsets, before.map.get(secret.id) ?? []);
          if (due !== null) expected.add(`${secret.id}:${due}`);
        }
        if (outageStart === null && day >= FAIL_DAY && expected.size > 0) outageStart = t;
        resend.setFailing(outageStart !== null && t < outageStart + 86_400_000);

        await runScheduler({ db: handle.db, keyRing, publicUrl: "https://rotor.example", transport }, now);
        runs++;
        const after = await deliveriesBySecret();
        const actual = new Set(
          after.rows.filter((d) => !before.rows.some((b) => b.id === d.id)).map((d) => `${d.secretId}:${d.thresholdDays}`),
        );
        const missing = [...expected].filter((e) => !actual.has(e));
        const extra = [...actual].filter((a) => !expected.has(a));
        if (missing.length || extra.length) mismatches.push(`${now.toISOString()}: missing ${missing.join(",")} extra ${extra.join(",")}`);
      }
    }

    // Then the e-mail API has long recovered; one last run delivers anything still waiting.
    resend.setFailing(false);
    await runScheduler({ db: handle.db, keyRing, publicUrl: "https://rotor.example", transport }, new Date(T0 + (DAYS + 2) * 86_400_000));

    expect(mismatches).toEqual([]);
    expect(runs).toBeGreaterThan(500);
    expect(skippedDays).toBeGreaterThan(20);
    expect(manualRotations).toBeGreaterThan(0);

    const deliveries = await handle.db.select().from(reminderDeliveries);
    const keys = deliveries.map((d) => `${d.secretId}:${d.thresholdDays}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(deliveries.length).toBeGreaterThan(100);

    // The due day recorded is the organisation's calendar day of the run, never after the expiry day.
    for (const d of deliveries) {
      const [s] = await handle.db.select().from(clientSecrets).where(eq(clientSecrets.id, d.secretId!));
      const [o] = await handle.db
        .select({ tz: organisations.timeZone })
        .from(organisations)
        .innerJoin(oauthClients, eq(oauthClients.organisationId, organisations.id))
        .where(eq(oauthClients.id, s!.clientId));
      const expiryDay = toCalendarDate(new Date(s!.expiresAt.getTime() - 1), o!.tz);
      expect(d.dueOn <= expiryDay).toBe(true);
    }

    const outbox = await handle.db.select().from(emailOutbox);
    expect(outbox.filter((m) => m.status !== "sent")).toEqual([]);
    expect(outbox).toHaveLength(deliveries.length);
    expect(resend.delivered.size).toBe(outbox.length);
    expect(outageStart).not.toBeNull();
    expect(outbox.some((m) => m.attempts > 1)).toBe(true);
    for (const m of outbox) expect(m.toAddresses.some((a) => a.startsWith("gone"))).toBe(false);

    // Automatic organisations never run out of a live secret.
    const autoOrgs = await handle.db.select().from(organisations).where(eq(organisations.autoIssue, true));
    const end = new Date(T0 + DAYS * 86_400_000);
    for (const o of autoOrgs) {
      for (const c of await handle.db.select().from(oauthClients).where(eq(oauthClients.organisationId, o.id))) {
        const secrets = await handle.db
          .select()
          .from(clientSecrets)
          .where(and(eq(clientSecrets.clientId, c.id), isNull(clientSecrets.revokedAt)));
        expect(secrets.filter((s) => isLive(s, end)).length, `${o.name} ${c.name}`).toBeGreaterThanOrEqual(1);
        expect(secrets.filter((s) => isLive(s, end)).length).toBeLessThanOrEqual(2);
      }
    }
  }, 300_000);
});
