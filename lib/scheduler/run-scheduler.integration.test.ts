import { randomBytes } from "node:crypto";
import { and, eq, inArray, like } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEvents, clientSecrets, emailOutbox, webhookEvents } from "@/db/schema";
import { aClient, aMember, anOrganisation, aPerson, aPublicKey, aSecret } from "@/db/testing/builders";
import { holdRowLock, raceTest, waitForLockWaiters } from "@/db/testing/race";
import { createTestDatabase } from "@/db/testing/test-database";
import { digestSecret } from "@/lib/crypto/client-secret";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { insertApiToken } from "@/lib/data/api-tokens";
import { claimIdempotencyKey, findIdempotencyRecord } from "@/lib/data/idempotency";
import { enqueueMessage } from "@/lib/data/outbox";
import { createTokenStore } from "@/lib/data/token-store";
import { isKnownClientAddress, recordClientAddress } from "@/lib/data/usage";
import { devMailbox } from "@/lib/email/transport";
import { autoIssueDueSecrets } from "./auto-issue";
import { runScheduler } from "./run-scheduler";

/*
 * One scheduler run (lib/scheduler/run-scheduler.ts) against a database of its own per test: the
 * whole summary it answers with, the audit rows and notices of auto-issue (docs/domain.md,
 * "Client secrets") and of expiries, and the housekeeping sweeps' cut-offs, each checked one
 * second either side.
 */

const keyRing = parseKeyRing(`rs:${randomBytes(32).toString("base64")}`);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const publicUrl = "https://rotor.example";
let handle: DatabaseHandle & { url?: string };

beforeEach(async () => {
  handle = await createTestDatabase();
});
afterEach(async () => handle?.close());

const deps = (transport?: typeof devMailbox) => ({ db: handle.db, keyRing, publicUrl, transport });

/** An organisation on a short policy (UTC, 30 days' validity, 5 days' overlap). */
function shortPolicyOrganisation(overrides: { autoIssue: boolean; reminderOffsets?: number[] }) {
  return anOrganisation(handle.db, {
    timeZone: "UTC",
    locale: "en-GB",
    validityDays: 30,
    overlapDays: 5,
    reminderOffsets: overrides.reminderOffsets ?? [20, 0],
    autoIssue: overrides.autoIssue,
  });
}

describe("a scheduler run with nothing due", () => {
  it("answers with the whole summary: nothing issued, expired, reminded or sent; the first signing keys made", async () => {
    const now = new Date("2026-06-15T12:00:00.000Z");
    const before = performance.now();
    const summary = await runScheduler(deps(devMailbox), now);
    const took = performance.now() - before;
    expect({ ...summary, durationMs: 0 }).toEqual({
      at: "2026-06-15T12:00:00.000Z",
      autoIssued: 0,
      issuedAfterExpiry: 0,
      expired: { secrets: 0, keys: 0 },
      reminders: { secrets: 0, keys: 0 },
      jwksFailuresTold: 0,
      email: { sent: 0, retrying: 0, dead: 0 },
      webhooks: { oldSecretsStillInUse: 0, delivery: null },
      housekeeping: {
        assertionsSwept: 0,
        signingKeysCreated: ["ES256", "RS256"],
        signInLinksExpired: 0,
        idempotencyRecordsSwept: 0,
        clientAddressesSwept: 0,
        auditEventsSwept: 0,
        webhookEventsSwept: 0,
      },
      durationMs: 0,
    });
    // The run's own duration: never negative, never more than the caller saw it take.
    expect(summary.durationMs).toBeGreaterThanOrEqual(0);
    expect(summary.durationMs).toBeLessThanOrEqual(Math.round(took));
  });

  it("delivers nothing without a transport (email is null: mail waits in the outbox)", async () => {
    const summary = await runScheduler(deps(), new Date("2026-06-15T12:00:00.000Z"));
    expect(summary.email).toBeNull();
  });
});

describe("the housekeeping sweeps", () => {
  it("each remove what reached its cut-off, and one second later the next row", async () => {
    const now = new Date("2026-06-15T12:00:00.000Z");
    const at = (ms: number) => new Date(now.getTime() + ms);

    // Used client-assertion ids are kept until their own expiry (lib/data/token-store.ts).
    const store = createTokenStore(handle.db);
    for (const [jti, ms] of [
      ["jti-before", -SECOND],
      ["jti-at", 0],
      ["jti-after", SECOND],
    ] as const) {
      await store.consumeJti("client-1", jti, at(ms));
    }

    // A sign-in link not delivered within its 10 minutes is given up on (lib/auth/email-sign-in.ts).
    const links: Record<string, string> = {};
    for (const [name, ms] of [
      ["before", -10 * MINUTE - SECOND],
      ["at", -10 * MINUTE],
      ["after", -10 * MINUTE + SECOND],
    ] as const) {
      links[name] = await enqueueMessage(handle.db, {
        organisationId: null,
        kind: "sign_in_link",
        toAddresses: [`${name}@example.test`],
        subject: "Sign in to Rotor",
        template: "sign-in-link",
        data: {},
        createdAt: at(ms),
        nextAttemptAt: at(ms),
      });
    }
    // Other mail of that age is not a sign-in link: it stays.
    const invitation = await enqueueMessage(handle.db, {
      organisationId: null,
      kind: "invitation",
      toAddresses: ["invited@example.test"],
      subject: "You are invited",
      template: "invitation",
      data: {},
      createdAt: at(-DAY),
      nextAttemptAt: at(-DAY),
    });

    // Idempotency-Key records are kept for 24 hours (lib/management-api/idempotency.ts).
    const organisation = await anOrganisation(handle.db);
    const owner = await aPerson(handle.db);
    const token = await insertApiToken(handle.db, {
      userId: owner.id,
      organisationId: organisation.id,
      name: "automation",
      digest: digestSecret(randomBytes(16).toString("hex")),
      maskedTail: "abcd",
      scope: "read",
      createdAt: at(-2 * DAY),
      expiresAt: at(30 * DAY),
    });
    for (const [key, ms] of [
      ["key-before", -DAY - SECOND],
      ["key-at", -DAY],
      ["key-after", -DAY + SECOND],
    ] as const) {
      await claimIdempotencyKey(handle.db, { tokenId: token.id, key, fingerprint: key, at: at(ms) });
    }

    // A client's known addresses are kept twice as long as they count as known (lib/rate-limit/runtime.ts).
    const client = await aClient(handle.db, organisation);
    for (const [address, ms] of [
      ["192.0.2.1", -2 * DAY - SECOND],
      ["192.0.2.2", -2 * DAY],
      ["192.0.2.3", -2 * DAY + SECOND],
    ] as const) {
      await recordClientAddress(handle.db, { clientId: client.clientId, address, at: at(ms) });
    }

    // Audit events are kept for ROTOR_AUDIT_RETENTION_DAYS, 400 unless set (docs/domain.md, "The audit log").
    for (const [label, ms] of [
      ["audit-before", -400 * DAY - SECOND],
      ["audit-at", -400 * DAY],
      ["audit-after", -400 * DAY + SECOND],
    ] as const) {
      await handle.db.insert(auditEvents).values({
        organisationId: organisation.id,
        actorType: "system",
        actorLabel: label,
        action: "session.demo_sign_in",
        occurredAt: at(ms),
      });
    }
    // Webhook events are kept as long, unless a delivery of theirs still waits (docs/webhooks.md).
    for (const [label, ms] of [
      ["hook-before", -400 * DAY - SECOND],
      ["hook-at", -400 * DAY],
      ["hook-after", -400 * DAY + SECOND],
    ] as const) {
      await handle.db.insert(webhookEvents).values({ organisationId: organisation.id, type: label, payload: {}, occurredAt: at(ms) });
    }
    const hooksLeft = async () =>
      (await handle.db.select({ type: webhookEvents.type }).from(webhookEvents).where(like(webhookEvents.type, "hook-%")))
        .map((r) => r.type)
        .sort();
    const auditLeft = async () =>
      (await handle.db.select({ label: auditEvents.actorLabel }).from(auditEvents).where(eq(auditEvents.action, "session.demo_sign_in")))
        .map((r) => r.label)
        .sort();

    const first = await runScheduler(deps(), now);
    expect(first.housekeeping).toEqual({
      assertionsSwept: 2,
      signingKeysCreated: ["ES256", "RS256"],
      signInLinksExpired: 2,
      idempotencyRecordsSwept: 2,
      clientAddressesSwept: 2,
      auditEventsSwept: 2,
      webhookEventsSwept: 2,
    });
    const statuses = async () =>
      Object.fromEntries(
        (
          await handle.db
            .select({ id: emailOutbox.id, status: emailOutbox.status })
            .from(emailOutbox)
            .where(inArray(emailOutbox.id, [...Object.values(links), invitation]))
        ).map((r) => [r.id, r.status]),
      );
    expect(await statuses()).toEqual({
      [links.before!]: "dead",
      [links.at!]: "dead",
      [links.after!]: "pending",
      [invitation]: "pending",
    });
    const keys = async () =>
      Promise.all(["key-before", "key-at", "key-after"].map(async (k) => (await findIdempotencyRecord(handle.db, token.id, k)) !== null));
    expect(await keys()).toEqual([false, false, true]);
    expect(await auditLeft()).toEqual(["audit-after"]);
    expect(await hooksLeft()).toEqual(["hook-after"]);
    const known = async () =>
      Promise.all(["192.0.2.1", "192.0.2.2", "192.0.2.3"].map((a) => isKnownClientAddress(handle.db, client.clientId, a, new Date(0))));
    expect(await known()).toEqual([false, false, true]);
    expect(await store.consumeJti("client-1", "jti-at", at(0))).toBe(true);
    expect(await store.consumeJti("client-1", "jti-after", at(SECOND))).toBe(false);

    // Two seconds later, the rows one second inside each cut-off have reached it.
    const second = await runScheduler(deps(), at(2 * SECOND));
    expect(second.housekeeping).toEqual({
      assertionsSwept: 2,
      signingKeysCreated: [],
      signInLinksExpired: 1,
      idempotencyRecordsSwept: 1,
      clientAddressesSwept: 1,
      auditEventsSwept: 1,
      webhookEventsSwept: 1,
    });
    expect(await statuses()).toEqual({
      [links.before!]: "dead",
      [links.at!]: "dead",
      [links.after!]: "dead",
      [invitation]: "pending",
    });
    expect(await keys()).toEqual([false, false, false]);
    expect(await auditLeft()).toEqual([]);
    expect(await hooksLeft()).toEqual([]);
    expect(await known()).toEqual([false, false, false]);
  });
});

describe("expiries", () => {
  it("are recorded once, at the end of the expiry day, each with its audit row; a later one waits", async () => {
    const organisation = await shortPolicyOrganisation({ autoIssue: false });
    const client = await aClient(handle.db, organisation);
    const other = await aClient(handle.db, organisation);
    const expiring = await aSecret(handle.db, organisation, client, keyRing, { createdAt: new Date("2026-03-01T10:00:00Z") });
    const later = await aSecret(handle.db, organisation, other, keyRing, { createdAt: new Date("2026-03-02T10:00:00Z") });
    // The end of 31/03/2026 in UTC: the secret is refused from this instant.
    const now = new Date("2026-04-01T00:00:00.000Z");
    expect(expiring.expiresAt).toEqual(now);
    expect(later.expiresAt).toEqual(new Date(now.getTime() + DAY));
    const key = await aPublicKey(handle.db, client, { kid: "key-at", createdAt: expiring.createdAt, expiresAt: now });
    await aPublicKey(handle.db, client, {
      kid: "key-after",
      createdAt: expiring.createdAt,
      expiresAt: new Date(now.getTime() + SECOND),
    });
    await aPublicKey(handle.db, other, { kid: "key-forever", createdAt: expiring.createdAt, expiresAt: null });

    const summary = await runScheduler(deps(), now);
    expect(summary.expired).toEqual({ secrets: 1, keys: 1 });
    const trail = await handle.db
      .select()
      .from(auditEvents)
      .where(inArray(auditEvents.action, ["secret.expired", "key.expired"]))
      .orderBy(auditEvents.id);
    expect(trail).toEqual([
      {
        id: expect.any(Number),
        organisationId: organisation.id,
        actorType: "system",
        actorUserId: null,
        actorLabel: "Scheduler",
        action: "secret.expired",
        targetType: "client_secret",
        targetId: expiring.id,
        metadata: { client: client.clientId, maskedTail: expiring.maskedTail },
        ip: null,
        userAgent: null,
        occurredAt: now,
      },
      {
        id: expect.any(Number),
        organisationId: organisation.id,
        actorType: "system",
        actorUserId: null,
        actorLabel: "Scheduler",
        action: "key.expired",
        targetType: "client_public_key",
        targetId: key.id,
        metadata: { client: client.clientId, kid: "key-at" },
        ip: null,
        userAgent: null,
        occurredAt: now,
      },
    ]);
    expect((await runScheduler(deps(), now)).expired).toEqual({ secrets: 0, keys: 0 });
    expect((await runScheduler(deps(), new Date(now.getTime() + SECOND))).expired).toEqual({ secrets: 0, keys: 1 });
  });
});

describe("reminders", () => {
  it("enqueue a key's reminder and deliver it with links to the deployment's public origin", async () => {
    const organisation = await shortPolicyOrganisation({ autoIssue: false });
    await aMember(handle.db, organisation, { role: "admin", email: `admin@${organisation.slug}.example` });
    await aMember(handle.db, organisation, { role: "spoc", email: `spoc@${organisation.slug}.example` });
    const client = await aClient(handle.db, organisation, { name: "Claims" });
    // Expires at the end of 05/07/2026 (UTC): 20 days after 15/06/2026, the 20-day reminder's day.
    await aPublicKey(handle.db, client, {
      kid: "key-2026",
      createdAt: new Date("2026-06-01T09:00:00.000Z"),
      expiresAt: new Date("2026-07-06T00:00:00.000Z"),
    });
    const now = new Date("2026-06-15T12:00:00.000Z");
    const summary = await runScheduler(deps(devMailbox), now);
    expect({ reminders: summary.reminders, email: summary.email }).toEqual({
      reminders: { secrets: 0, keys: 1 },
      email: { sent: 1, retrying: 0, dead: 0 },
    });
    const [mail, ...more] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.organisationId, organisation.id));
    expect(more).toEqual([]);
    expect(mail).toMatchObject({
      kind: "key_expiry_reminder",
      toAddresses: [`admin@${organisation.slug}.example`, `spoc@${organisation.slug}.example`],
      status: "sent",
      provider: "dev-mailbox",
      sentAt: now,
    });
    expect(mail!.html).toContain(`${publicUrl}/orgs/${organisation.slug}/manage/api`);
  });
});

describe("auto-issue", () => {
  const t0 = new Date("2026-03-01T10:00:00Z");

  async function withPeople(autoIssue = true) {
    const organisation = await shortPolicyOrganisation({ autoIssue });
    const admin = await aMember(handle.db, organisation, { role: "admin", email: `admin@${organisation.slug}.example` });
    const spoc = await aMember(handle.db, organisation, { role: "spoc", email: `spoc@${organisation.slug}.example` });
    await aMember(handle.db, organisation, { role: "member", email: `member@${organisation.slug}.example` });
    const client = await aClient(handle.db, organisation, { name: "Claims" });
    const first = await aSecret(handle.db, organisation, client, keyRing, { createdAt: t0 });
    return { organisation, client, first, admin, spoc };
  }

  const successorOf = async (secretId: string) =>
    handle.db.select().from(clientSecrets).where(eq(clientSecrets.replacesSecretId, secretId));
  const autoIssuedTrail = () =>
    handle.db.select().from(auditEvents).where(eq(auditEvents.action, "secret.auto_issued")).orderBy(auditEvents.id);
  const noticesOf = (organisationId: string) =>
    handle.db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.organisationId, organisationId), eq(emailOutbox.template, "missed-successor")));

  it("issues the next secret inside the overlap, audited as the scheduler's, and tells no one it was missed", async () => {
    const { organisation, client, first } = await withPeople();
    // Day 26 of 30: inside the 5-day overlap (the auto-issue day is day 25).
    const now = new Date(t0.getTime() + 26 * DAY);
    const summary = await runScheduler(deps(), now);
    expect({ autoIssued: summary.autoIssued, issuedAfterExpiry: summary.issuedAfterExpiry }).toEqual({
      autoIssued: 1,
      issuedAfterExpiry: 0,
    });
    const [successor, ...more] = await successorOf(first.id);
    expect(more).toEqual([]);
    expect(successor).toMatchObject({ clientId: client.id, issuedBy: "auto", createdAt: now, revokedAt: null });
    expect(await autoIssuedTrail()).toEqual([
      {
        id: expect.any(Number),
        organisationId: organisation.id,
        actorType: "system",
        actorUserId: null,
        actorLabel: "Scheduler",
        action: "secret.auto_issued",
        targetType: "client_secret",
        targetId: successor!.id,
        metadata: { client: client.clientId },
        ip: null,
        userAgent: null,
        occurredAt: now,
      },
    ]);
    expect(await noticesOf(organisation.id)).toEqual([]);
  });

  it("after downtime longer than the overlap, issues the missed successor and queues the notice to the admins and the designated user", async () => {
    const { organisation, client, first } = await withPeople();
    // An organisation with nobody to tell: its successor is issued all the same, and no mail is queued for it.
    const alone = await shortPolicyOrganisation({ autoIssue: true });
    await aMember(handle.db, alone, { role: "member" });
    const aloneClient = await aClient(handle.db, alone);
    const aloneFirst = await aSecret(handle.db, alone, aloneClient, keyRing, { createdAt: t0 });
    // Day 33: the secret expired at the end of 31/03/2026 and no run fell inside its overlap.
    const now = new Date(t0.getTime() + 33 * DAY);
    const summary = await runScheduler(deps(), now);
    expect({ autoIssued: summary.autoIssued, issuedAfterExpiry: summary.issuedAfterExpiry }).toEqual({
      autoIssued: 2,
      issuedAfterExpiry: 2,
    });
    const [successor] = await successorOf(first.id);
    const [aloneSuccessor] = await successorOf(aloneFirst.id);
    expect(
      (await autoIssuedTrail()).map((e) => ({ organisationId: e.organisationId, targetId: e.targetId, metadata: e.metadata })),
    ).toEqual(
      expect.arrayContaining([
        { organisationId: organisation.id, targetId: successor!.id, metadata: { client: client.clientId } },
        { organisationId: alone.id, targetId: aloneSuccessor!.id, metadata: { client: aloneClient.clientId } },
      ]),
    );
    expect(await noticesOf(organisation.id)).toEqual([
      {
        id: expect.any(String),
        organisationId: organisation.id,
        reminderDeliveryId: null,
        kind: "missed_successor",
        toAddresses: [`admin@${organisation.slug}.example`, `spoc@${organisation.slug}.example`],
        subject: "A new client secret for Claims was issued after the old one expired",
        template: "missed-successor",
        data: {
          organisation: organisation.name,
          slug: organisation.slug,
          client: "Claims",
          clientId: client.clientId,
          expiredOn: "2026-03-31",
          issuedOn: "2026-04-03",
          locale: "en-GB",
        },
        html: null,
        text: null,
        provider: null,
        status: "pending",
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        providerMessageId: null,
        createdAt: now,
        sentAt: null,
      },
    ]);
    expect(await noticesOf(alone.id)).toEqual([]);
  });

  raceTest("finds the candidates again under the client's lock: a client disabled meanwhile gets nothing", async () => {
    const { client, first } = await withPeople();
    const now = new Date(t0.getTime() + 26 * DAY);
    const lock = await holdRowLock(handle.url!, "oauth_client", client.id);
    const run = autoIssueDueSecrets(handle.db, keyRing, now);
    try {
      await waitForLockWaiters(handle.url!, 1);
      await lock.sql("update oauth_client set disabled_at = $1 where id = $2", [now.toISOString(), client.id]);
    } finally {
      await lock.release();
    }
    expect(await run).toEqual({ issued: 0, missed: 0 });
    expect(await successorOf(first.id)).toEqual([]);
    expect(await autoIssuedTrail()).toEqual([]);
  });

  it("counts and audits nothing for a candidate the unique successor index refuses", async () => {
    // A secret that already has a successor (not revoked) which expired before it: the secret is
    // the client's one live secret and inside its overlap, so it is a candidate, but the unique
    // "one live successor" index (db/schema.ts) lets no second successor of it be stored.
    const { organisation, client, first } = await withPeople();
    await aSecret(handle.db, organisation, client, keyRing, { createdAt: new Date(t0.getTime() - 60 * DAY), replacesSecretId: first.id });
    const now = new Date(t0.getTime() + 26 * DAY);
    const summary = await runScheduler(deps(), now);
    expect({ autoIssued: summary.autoIssued, issuedAfterExpiry: summary.issuedAfterExpiry }).toEqual({
      autoIssued: 0,
      issuedAfterExpiry: 0,
    });
    expect(await autoIssuedTrail()).toEqual([]);
  });
});
