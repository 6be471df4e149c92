import { randomBytes, randomUUID } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { raceTest } from "@/db/testing/race";
import { createTestDatabase } from "@/db/testing/test-database";
import { encrypt, parseKeyRing } from "@/lib/crypto/encryption";
import { outboxLinkCipherContext } from "@/lib/data/cipher-contexts";
import { expireUndelivered } from "@/lib/data/outbox";
import { deliverMessage, drainOutbox, MAX_ATTEMPTS } from "./outbox";
import { startFakeResend } from "./testing/fake-resend";
import { devMailbox, type MailTransport, resendTransport } from "./transport";

/*
 * The outbox's promises for sign-in mail (docs/security.md, "Sign-in links"): it goes out with its
 * own request, not behind other mail; a provider that hangs cannot hang it; and once delivered or
 * given up on, nothing in the database holds its link any more, whatever the transport.
 */

const now = new Date();
const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
let handle: DatabaseHandle & { url?: string };
let resend: Awaited<ReturnType<typeof startFakeResend>>;
beforeAll(async () => {
  handle = await createTestDatabase();
  resend = await startFakeResend();
});
afterAll(async () => {
  await resend?.close();
  await handle?.close();
});

const transport = () => resendTransport({ apiKey: "re_test", baseUrl: resend.url, from: "Rotor <rotor@example.com>" });
const link = () => `https://rotor.example/api/auth/callback/email?token=${randomBytes(16).toString("hex")}&email=p%40x.example`;

/** A sign-in mail as lib/auth/email-sign-in.ts queues it: its link encrypted, bound to the message. */
async function signInMail(url = link(), createdAt = now) {
  const id = randomUUID();
  const [row] = await handle.db
    .insert(emailOutbox)
    .values({
      id,
      kind: "sign_in_link",
      toAddresses: ["p@x.example"],
      subject: "Your sign-in link",
      template: "sign-in-link",
      data: { sealedUrl: encrypt(url, keyRing, outboxLinkCipherContext(id)), minutes: 10, service: "Rotor" },
      createdAt,
      nextAttemptAt: createdAt,
    })
    .returning();
  return row!;
}

/** Already-rendered mail, so a backlog costs no rendering. */
async function backlog(n: number, tag: string) {
  const rows = await handle.db
    .insert(emailOutbox)
    .values(
      Array.from({ length: n }, (_, i) => ({
        kind: "expiry_reminder",
        toAddresses: [`${tag}${i}@x.example`],
        subject: `Reminder ${tag} ${i}`,
        template: "expiry-reminder",
        html: "<p>reminder</p>",
        text: "reminder",
        createdAt: new Date(now.getTime() - 3_600_000),
        nextAttemptAt: new Date(now.getTime() - 3_600_000),
      })),
    )
    .returning({ id: emailOutbox.id });
  return rows.map((r) => r.id);
}

async function row(id: string) {
  const [r] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  return r!;
}

describe("sign-in mail", () => {
  it("is delivered by its own id at once, ahead of an older backlog", async () => {
    const waiting = await backlog(120, "queued");
    const mail = await signInMail();
    const before = resend.requests.length;
    expect(await deliverMessage(handle.db, transport(), mail.id, { now, publicUrl: "https://rotor.example", keyRing })).toBe("sent");
    expect(resend.requests.slice(before).map((r) => r.to)).toEqual([["p@x.example"]]);
    const queued = await handle.db.select({ status: emailOutbox.status }).from(emailOutbox).where(inArray(emailOutbox.id, waiting));
    expect(new Set(queued.map((q) => q.status))).toEqual(new Set(["pending"]));
    await handle.db.delete(emailOutbox).where(inArray(emailOutbox.id, waiting));
  });

  it("waits in the outbox encrypted, and is delivered with its link intact", async () => {
    const url = link();
    const mail = await signInMail(url);
    expect(JSON.stringify(mail)).not.toContain(url.split("token=")[1]!.split("&")[0]!);
    const before = resend.requests.length;
    await deliverMessage(handle.db, transport(), mail.id, { now, publicUrl: "https://rotor.example", keyRing });
    expect(resend.requests[before]?.text).toContain(url);
  });

  it("is given up on, and erased, once its link has expired undelivered", async () => {
    const stale = await signInMail(link(), new Date(now.getTime() - 11 * 60_000));
    const fresh = await signInMail(link(), new Date(now.getTime() - 60_000));
    expect(await expireUndelivered(handle.db, ["sign_in_link"], new Date(now.getTime() - 10 * 60_000))).toBe(1);
    expect(await row(stale.id)).toMatchObject({ status: "dead", data: { erased: true } });
    expect((await row(fresh.id)).status).toBe("pending");
    await handle.db.delete(emailOutbox).where(eq(emailOutbox.id, fresh.id));
  });

  it("keeps no link or body once sent, through Resend and through the development mailbox", async () => {
    for (const t of [transport(), devMailbox]) {
      const url = link();
      const mail = await signInMail(url);
      await deliverMessage(handle.db, t, mail.id, { now, publicUrl: "https://rotor.example", keyRing });
      const stored = await row(mail.id);
      expect(stored).toMatchObject({ status: "sent", data: { erased: true }, html: null, text: null });
      expect(JSON.stringify(stored)).not.toContain(url.split("token=")[1]!.split("&")[0]!);
    }
  });

  it("keeps no link once given up on", async () => {
    const mail = await signInMail();
    await handle.db.update(emailOutbox).set({ attempts: MAX_ATTEMPTS }).where(eq(emailOutbox.id, mail.id));
    resend.setFailing(true);
    try {
      await deliverMessage(handle.db, transport(), mail.id, { now, publicUrl: "https://rotor.example", keyRing });
    } finally {
      resend.setFailing(false);
    }
    expect(await row(mail.id)).toMatchObject({ status: "dead", data: { erased: true }, html: null, text: null });
  });

  it("does not hang on a provider that never answers: the send fails after its timeout and is retried later", async () => {
    const mail = await signInMail();
    resend.setHanging(true);
    try {
      const outcome = await deliverMessage(handle.db, transport(), mail.id, {
        now,
        publicUrl: "https://rotor.example",
        timeoutMs: 300,
        keyRing,
      });
      expect(outcome).toBe("retrying");
    } finally {
      resend.setHanging(false);
    }
    const stored = await row(mail.id);
    expect(stored.status).toBe("pending");
    expect(stored.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
  });
});

describe("a drain of the outbox", () => {
  it("keeps going until the outbox is empty, past any fixed count", async () => {
    await backlog(1_100, "wave");
    const summary = await drainOutbox(handle.db, devMailbox, { now, publicUrl: "https://rotor.example", batch: 100 });
    expect(summary).toEqual({ sent: 1_100, retrying: 0, dead: 0 });
  }, 120_000);

  it("stops claiming when its time budget is spent, leaving the rest untouched for the next run", async () => {
    const ids = await backlog(30, "budget");
    const sends: string[] = [];
    const counting: MailTransport = {
      name: "dev-mailbox",
      async send(m) {
        sends.push(m.id);
        return { ok: true, providerId: `dev-${m.id}` };
      },
    };
    // Two senders claim a batch each while the budget lasts; after that it is spent.
    const clock = [0, 10];
    const summary = await drainOutbox(handle.db, counting, {
      now,
      publicUrl: "https://rotor.example",
      batch: 10,
      concurrency: 2,
      budgetMs: 1_000,
      elapsedMs: () => clock.shift() ?? 60_000,
    });
    expect(summary).toEqual({ sent: 20, retrying: 0, dead: 0 });
    const left = await handle.db.select().from(emailOutbox).where(inArray(emailOutbox.id, ids));
    const waiting = left.filter((m) => m.status === "pending");
    expect(waiting).toHaveLength(10);
    // Never claimed: no attempt spent, due now, so the next run takes them at once.
    expect(waiting.every((m) => m.attempts === 0 && m.nextAttemptAt <= now)).toBe(true);
    const next = await drainOutbox(handle.db, counting, { now, publicUrl: "https://rotor.example" });
    expect(next.sent).toBe(10);
    expect(new Set(sends).size).toBe(30);
    expect(sends).toHaveLength(30);
  });

  it("sends with the configured number of sends in flight at once, never more, each message once", async () => {
    const n = 64;
    const k = 8;
    const ids = await backlog(n, "parallel");
    const sends: string[] = [];
    let inFlight = 0;
    let most = 0;
    let done = 0;
    let release = () => {};
    let gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Each send waits until as many sends as can be in flight are: with sends one at a time this
    // never opens, and the test fails on its timeout.
    const gated: MailTransport = {
      name: "dev-mailbox",
      async send(m) {
        sends.push(m.id);
        inFlight++;
        most = Math.max(most, inFlight);
        if (inFlight >= Math.min(k, n - done)) {
          release();
          gate = new Promise<void>((resolve) => {
            release = resolve;
          });
        } else {
          await gate;
        }
        inFlight--;
        done++;
        return { ok: true, providerId: `dev-${m.id}` };
      },
    };
    const summary = await drainOutbox(handle.db, gated, { now, publicUrl: "https://rotor.example", batch: 1, concurrency: k });
    expect(summary).toEqual({ sent: n, retrying: 0, dead: 0 });
    expect(most).toBe(k);
    expect(sends.toSorted()).toEqual(ids.toSorted());
    const rows = await handle.db.select().from(emailOutbox).where(inArray(emailOutbox.id, ids));
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  }, 30_000);
});

describe("two drains at the same moment", () => {
  raceTest("send each message once, each with its own idempotency key, on separate connections", async () => {
    const n = 400;
    const ids = await backlog(n, "race");
    const second = await openDatabase({ url: handle.url! });
    const before = resend.requests.length;
    try {
      const drains = await Promise.all(
        [handle, second, handle, second].map((h) =>
          drainOutbox(h.db, transport(), { now, publicUrl: "https://rotor.example", batch: 5, concurrency: 4 }),
        ),
      );
      expect(drains.reduce((sum, d) => sum + d.sent, 0)).toBe(n);
      // More than one drain did some of the work: they really ran side by side.
      expect(drains.filter((d) => d.sent > 0).length).toBeGreaterThan(1);
    } finally {
      await second.close();
    }
    const keys = resend.requests.slice(before).map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(n);
    expect(new Set(keys)).toEqual(new Set(ids.map((id) => `rotor-outbox-${id}`)));
    const rows = await handle.db.select().from(emailOutbox).where(inArray(emailOutbox.id, ids));
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });
});
