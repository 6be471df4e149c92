import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { emailOutbox, reminderDeliveries } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { startFakeResend } from "@/lib/email/testing/fake-resend";
import { resendTransport } from "@/lib/email/transport";
import { env } from "@/lib/env";
import { addDays, formatCalendarDate, toCalendarDate } from "@/lib/rotation/calendar";
import { runScheduler } from "./run-scheduler";

const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
const now = new Date();
let handle: DatabaseHandle;
let resend: Awaited<ReturnType<typeof startFakeResend>>;

beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db, { now, keyRing });
  resend = await startFakeResend();
});
afterAll(async () => {
  await resend?.close();
  await handle?.close();
});

const deps = () => ({
  db: handle.db,
  keyRing,
  publicUrl: "https://rotor.example",
  transport: resendTransport({ apiKey: "re_test", baseUrl: resend.url, from: "Rotor <rotor@example.com>" }),
});

describe("a scheduler run on the demo data", () => {
  it("sends the secret inside its overlap its 20-day reminder, through the real Resend SDK, to the active admins and the SPOC", async () => {
    const summary = await runScheduler(deps(), now);
    expect(summary.reminders.secrets).toBe(1);
    expect(summary.email).toMatchObject({ sent: 1, retrying: 0, dead: 0 });
    expect(resend.requests).toHaveLength(1);
    const mail = resend.requests[0]!;
    expect(mail.to).toEqual(["alice.admin@northwind.example", "api-team@northwind.example"]);
    expect(mail.subject).toBe("Your client secret for Claims submission (production) expires in 20 days");
    const expiry = formatCalendarDate(addDays(toCalendarDate(now, "Europe/London"), 20), "en-GB");
    expect(mail.text).toContain(`works until the end of ${expiry} (Europe/London time)`);
    // The reminder names the new secret and when it was issued, and says what to do.
    expect(mail.text).toMatch(
      /A new secret ending \S{4} was issued automatically on \d{2}\/\d{2}\/\d{4}\. Both are accepted until this one ends\./,
    );
    expect(mail.text).toContain("1. Put the new secret into your systems");
    expect(mail.text).toContain("A new secret is waiting: your systems have not used it yet");
    expect(mail.html).toContain("https://rotor.example/orgs/northwind/manage/api");
    expect(mail.idempotencyKey).toMatch(/^rotor-outbox-/);
  });

  it("sends nothing more when it runs again, however often", async () => {
    for (let i = 0; i < 3; i++) {
      const summary = await runScheduler(deps(), new Date(now.getTime() + i * 60_000));
      expect(summary.reminders).toEqual({ secrets: 0, keys: 0 });
    }
    expect(resend.requests).toHaveLength(1);
  });

  it("keeps de-activated users off the recipients", async () => {
    const [row] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "expiry_reminder")).orderBy(emailOutbox.createdAt);
    expect(row?.toAddresses).not.toContain("erin.former-admin@northwind.example");
    expect(row?.toAddresses).not.toContain("mo.member@northwind.example");
  });

  it("records the delivery under its threshold, once", async () => {
    const deliveries = await handle.db.select().from(reminderDeliveries);
    expect(deliveries.map((d) => d.thresholdDays).sort()).toEqual([20, 30]);
  });
});

describe("two scheduler runs at the same moment", () => {
  it("send nothing twice, on separate connections to the same database", async () => {
    const fresh = await createTestDatabase();
    const second = fresh.url
      ? await (await import("@/db/client")).openDatabase({ url: fresh.url, poolMode: env().DATABASE_POOL_MODE })
      : fresh;
    const mail = await startFakeResend();
    try {
      await seedDemoData(fresh.db, { now, keyRing });
      const transport = resendTransport({ apiKey: "re_test", baseUrl: mail.url, from: "Rotor <rotor@example.com>" });
      const at = new Date(now.getTime() + 40 * 86_400_000);
      const results = await Promise.all(
        [fresh, second, fresh, second].map((h) => runScheduler({ db: h.db, keyRing, publicUrl: "https://rotor.example", transport }, at)),
      );
      const reminders = results.reduce((n, r) => n + r.reminders.secrets + r.reminders.keys, 0);
      const sent = results.reduce((n, r) => n + (r.email?.sent ?? 0), 0);
      const deliveries = await fresh.db.select().from(reminderDeliveries);
      const outbox = await fresh.db.select().from(emailOutbox);
      expect(reminders).toBe(deliveries.length - 1);
      expect(outbox.filter((m) => m.status === "sent")).toHaveLength(outbox.length);
      expect(sent).toBe(outbox.length - 1);
      expect(mail.requests).toHaveLength(sent);
      expect(new Set(mail.requests.map((r) => r.idempotencyKey)).size).toBe(mail.requests.length);
      expect(results.reduce((n, r) => n + r.autoIssued, 0)).toBeLessThanOrEqual(deliveries.length + 3);
    } finally {
      await mail.close();
      if (second !== fresh) await second.close();
      await fresh.close();
    }
  });
});
