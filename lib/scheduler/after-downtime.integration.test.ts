import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { clientSecrets, emailOutbox, memberships, oauthClients, organisations, users } from "@/db/schema";
import { createTestDatabase } from "@/db/testing/test-database";
import { mintSecret } from "@/lib/credentials/mint-secret";
import { rotationPolicyInput } from "@/lib/credentials/schemas";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { insertSecret } from "@/lib/data/credentials";
import { drainOutbox } from "@/lib/email/outbox";
import { startFakeResend } from "@/lib/email/testing/fake-resend";
import { resendTransport } from "@/lib/email/transport";
import { isLive } from "@/lib/rotation/secret-state";
import { runScheduler } from "./run-scheduler";

/*
 * The time rules when the scheduler has been down (docs/domain.md, "Client secrets" and "Expiry
 * reminders"): a successor missed because no run fell inside the overlap is issued by the next
 * run and people are told; a reminder delivered late counts its days from the day it goes out.
 */

const keyRing = parseKeyRing(`t:${randomBytes(32).toString("base64")}`);
const DAY = 86_400_000;
let handle: DatabaseHandle;
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

/** An organisation (UTC, 30 days' validity, 5 days' overlap) with an admin, a designated user and one client with one secret. */
async function organisationWithOneSecret(createdAt: Date, options: { autoIssue: boolean }) {
  const slug = `down-${randomBytes(3).toString("hex")}`;
  const [org] = await handle.db
    .insert(organisations)
    .values({
      slug,
      name: `Downtime ${slug}`,
      timeZone: "UTC",
      validityDays: 30,
      overlapDays: 5,
      autoIssue: options.autoIssue,
      reminderOffsets: [20, 0],
    })
    .returning();
  const people = await handle.db
    .insert(users)
    .values([{ email: `admin@${slug}.example` }, { email: `spoc@${slug}.example` }])
    .returning();
  await handle.db.insert(memberships).values([
    { organisationId: org!.id, userId: people[0]!.id, role: "admin" },
    { organisationId: org!.id, userId: people[1]!.id, role: "spoc" },
  ]);
  const [client] = await handle.db
    .insert(oauthClients)
    .values({ organisationId: org!.id, clientId: `${slug}-client`, name: "Claims" })
    .returning();
  const minted = mintSecret({ createdAt, policy: org!, reveal: false, keyRing });
  await handle.db.transaction((tx) =>
    insertSecret(tx, minted, { clientUuid: client!.id, issuedBy: "cli", userId: null, replacesSecretId: null }),
  );
  return { org: org!, client: client!, first: minted, slug };
}

describe("after the scheduler was down for longer than a secret's overlap", () => {
  it("the next run issues the missed successor at once and tells the designated user and the admins", async () => {
    const t0 = new Date("2026-03-01T10:00:00Z");
    const { client, first, slug } = await organisationWithOneSecret(t0, { autoIssue: true });
    // Last run before the overlap (day 20: the auto-issue day is day 25); the next one on day 33.
    await runScheduler({ db: handle.db, keyRing, publicUrl: "https://rotor.example" }, new Date(t0.getTime() + 20 * DAY));
    const late = new Date(t0.getTime() + 33 * DAY);
    expect(isLive({ ...first, revokedAt: null }, late)).toBe(false);
    const summary = await runScheduler({ db: handle.db, keyRing, publicUrl: "https://rotor.example", transport: transport() }, late);
    expect(summary.issuedAfterExpiry).toBe(1);
    const secrets = await handle.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, client.id));
    const live = secrets.filter((s) => isLive(s, late));
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ issuedBy: "auto", replacesSecretId: first.id });
    const told = resend.requests.filter((r) => r.to.includes(`spoc@${slug}.example`));
    expect(told.map((r) => r.subject)).toContain("A new client secret for Claims was issued after the old one expired");
    const notice = told.find((r) => r.subject.includes("after the old one expired"))!;
    expect(notice.to).toEqual([`admin@${slug}.example`, `spoc@${slug}.example`]);
    expect(notice.text).toContain("expired on 31/03/2026");
    // A second run does nothing more.
    const again = await runScheduler({ db: handle.db, keyRing, publicUrl: "https://rotor.example" }, new Date(late.getTime() + 3_600_000));
    expect(again.autoIssued).toBe(0);
  });

  it("leaves an organisation without auto-issue to its designated user", async () => {
    const t0 = new Date("2026-03-01T10:00:00Z");
    const { client } = await organisationWithOneSecret(t0, { autoIssue: false });
    const summary = await runScheduler({ db: handle.db, keyRing, publicUrl: "https://rotor.example" }, new Date(t0.getTime() + 33 * DAY));
    expect(summary.issuedAfterExpiry).toBe(0);
    expect(await handle.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, client.id))).toHaveLength(1);
  });
});

describe("a reminder delivered late", () => {
  it("counts its days from the day it goes out, not the day it was due", async () => {
    const t0 = new Date("2026-05-01T10:00:00Z");
    const { slug } = await organisationWithOneSecret(t0, { autoIssue: false });
    // Day 10: 20 days left, the 20-day reminder is due; the provider is down.
    resend.setFailing(true);
    const due = new Date(t0.getTime() + 10 * DAY);
    try {
      await runScheduler({ db: handle.db, keyRing, publicUrl: "https://rotor.example", transport: transport() }, due);
    } finally {
      resend.setFailing(false);
    }
    // A day later the provider is back and the retry goes out.
    const sent = await drainOutbox(handle.db, transport(), { now: new Date(due.getTime() + DAY), publicUrl: "https://rotor.example" });
    expect(sent.sent).toBeGreaterThanOrEqual(1);
    const mail = [...resend.delivered.values()].find((m) => m.to.includes(`spoc@${slug}.example`))!;
    expect(mail.subject).toBe("Your client secret for Claims expires in 19 days");
    const [row] = await handle.db.select().from(emailOutbox).where(eq(emailOutbox.subject, mail.subject));
    expect(row?.status).toBe("sent");
  });
});

describe("a policy whose overlap is half its validity or more", () => {
  it("is refused with the reason, because its next secret would be due while two are live", () => {
    const result = rotationPolicyInput.safeParse({
      validityDays: 50,
      overlapDays: 30,
      reminderOffsets: [10],
      autoIssue: true,
      secretRevealPolicy: "reveal",
    });
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      "The overlap must be shorter than half the validity period (under 25 days for 50 days' validity): otherwise the next secret would be due while two are still live.",
    ]);
  });

  it("is refused by the database too, whatever writes it", async () => {
    const refused = await handle.db
      .insert(organisations)
      .values({ slug: "half-overlap", name: "Half", validityDays: 50, overlapDays: 25 })
      .then(
        () => null,
        (e: { cause?: { code?: string; constraint_name?: string; constraint?: string }; code?: string }) => e.cause?.code ?? e.code,
      );
    expect(refused).toBe("23514");
  });
});
