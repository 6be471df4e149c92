import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { clientSecrets, oauthClients } from "@/db/schema";
import { anOrganisation } from "@/db/testing/builders";
import { createTestDatabase } from "@/db/testing/test-database";
import { mintSecret } from "@/lib/credentials/mint-secret";
import { parseKeyRing } from "@/lib/crypto/encryption";
import type { OrganisationDto } from "@/lib/data/organisations";
import { autoIssueDueSecrets } from "./auto-issue";
import { enqueueSecretReminders } from "./reminders";

/*
 * Auto-issue and reminders work a page of 1000 credentials at a time (lib/scheduler/auto-issue.ts,
 * reminders.ts): with one more than a page due, the second page is reached and every credential
 * is served in one run.
 */

const keyRing = parseKeyRing(`pg:${randomBytes(32).toString("base64")}`);
const DAY = 86_400_000;
const PAGE = 1000;
const t0 = new Date("2026-03-01T10:00:00Z");
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createTestDatabase();
}, 120_000);
afterAll(async () => handle?.close());

/**
 * `count` clients of the organisation, each with one secret created at t0. Two statements rather
 * than a builder call per row (db/testing/builders.ts), which would take thousands of queries.
 */
async function clientsWithOneSecret(organisation: OrganisationDto, count: number) {
  const tag = randomBytes(3).toString("hex");
  const clients = await handle.db
    .insert(oauthClients)
    .values(
      Array.from({ length: count }, (_, i) => ({ organisationId: organisation.id, clientId: `${tag}${i}client`, name: `Client ${i}` })),
    )
    .returning();
  await handle.db.insert(clientSecrets).values(
    clients.map((c) => {
      const minted = mintSecret({ createdAt: t0, policy: organisation, reveal: false, keyRing });
      return { ...minted, clientId: c.id, issuedBy: "seed" as const };
    }),
  );
}

const policy = { timeZone: "UTC", validityDays: 30, overlapDays: 5 };

describe("more credentials due than fit on one page", () => {
  it("are all given their next secret in one auto-issue pass", async () => {
    const organisation = await anOrganisation(handle.db, { ...policy, autoIssue: true, reminderOffsets: [0] });
    await clientsWithOneSecret(organisation, PAGE + 1);
    // Day 26 of 30: inside every secret's 5-day overlap.
    const now = new Date(t0.getTime() + 26 * DAY);
    expect(await autoIssueDueSecrets(handle.db, keyRing, now)).toEqual({ issued: PAGE + 1, missed: 0 });
    expect(await autoIssueDueSecrets(handle.db, keyRing, now)).toEqual({ issued: 0, missed: 0 });
  }, 120_000);

  it("are all reminded in one pass", async () => {
    const organisation = await anOrganisation(handle.db, { ...policy, autoIssue: false, reminderOffsets: [20] });
    await clientsWithOneSecret(organisation, PAGE + 1);
    // Day 10 of 30: 20 days left, the 20-day reminder is due.
    const now = new Date(t0.getTime() + 10 * DAY);
    expect(await enqueueSecretReminders(handle.db, now)).toBe(PAGE + 1);
    expect(await enqueueSecretReminders(handle.db, now)).toBe(0);
  }, 120_000);
});
