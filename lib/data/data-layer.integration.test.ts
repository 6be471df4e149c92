import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { clientSecrets, memberships, oauthClients, organisations, users } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { aMember, anOrganisation } from "@/db/testing/builders";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { addDays, daysBetween, toCalendarDate } from "@/lib/rotation/calendar";
import { LAST_LIVE_SECRET_MESSAGE, SHOW_ONCE_MESSAGE } from "@/lib/rotation/secret-actions";
import { getApiDetails, getCredentialHealth } from "./api-details";
import {
  findActiveMembership,
  listActiveMembers,
  listDeactivatedMembers,
  PEOPLE_PAGE_SIZE,
  searchActiveMembers,
  searchDeactivatedMembers,
} from "./memberships";
import { listOffices } from "./offices";
import { findOrganisationBySlug, listOrganisationsForUser } from "./organisations";
import { findUserByEmail, isPlatformOperator, listDemoAccounts } from "./users";

const now = new Date();
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db, { now, keyRing: parseKeyRing(`test:${randomBytes(32).toString("base64")}`) });
});
afterAll(async () => handle?.close());

async function org(slug: string) {
  const found = await findOrganisationBySlug(handle.db, slug);
  if (!found) throw new Error(`no ${slug}`);
  return found;
}

describe("demo data, dated from today", () => {
  it("has two organisations in Europe/London and Asia/Kolkata", async () => {
    expect((await org("northwind")).timeZone).toBe("Europe/London");
    expect((await org("finvu")).timeZone).toBe("Asia/Kolkata");
  });

  it("shows a client inside its overlap: Current and New secrets whose dates follow seed 000's rule", async () => {
    const northwind = await org("northwind");
    const details = await getApiDetails(handle.db, northwind, now, "http://localhost:3000");
    const production = details.clients.find((c) => c.name.includes("production"));
    const { current, next } = production ?? {};
    if (!current || !next) throw new Error("expected two live secrets");
    expect(daysBetween(current.createdOn, current.expiresOn)).toBe(180);
    expect(daysBetween(next.createdOn, next.expiresOn)).toBe(180);
    expect(next.createdOn).toBe(addDays(current.expiresOn, -30));
    expect(current.expiresOn).toBe(addDays(toCalendarDate(now, "Europe/London"), 20));
    expect(current.state).toBe("in_overlap");
    expect(production?.health.status).toBe("new_secret_waiting");
  });

  it("masks every secret to its last characters", async () => {
    const details = await getApiDetails(handle.db, await org("northwind"), now, "http://localhost:3000");
    const stored = await handle.db.select({ tail: clientSecrets.maskedTail }).from(clientSecrets);
    for (const client of details.clients) {
      for (const s of [client.current, client.next].filter((x) => x !== null)) {
        expect(s.masked).toMatch(/^•+[0-9A-Za-z]{4}$/);
        expect(stored.map((r) => r.tail)).toContain(s.masked.slice(-4));
      }
    }
  });

  it("has a client well within validity and one with a registered RSA public key", async () => {
    const nw = await getApiDetails(handle.db, await org("northwind"), now, "http://localhost:3000");
    expect(nw.clients.find((c) => c.name.includes("sandbox"))?.health.status).toBe("ok");
    const fv = await getApiDetails(handle.db, await org("finvu"), now, "http://localhost:3000");
    expect(fv.clients[0]?.keys).toHaveLength(1);
    expect(fv.clients[0]?.keys[0]?.bits).toBe(2048);
  });

  it("puts on each secret and key what the viewer's role may do there, and why not", async () => {
    const northwind = await org("northwind");
    const clients = async (role: "admin" | "spoc" | "member" | null) =>
      (await getApiDetails(handle.db, northwind, now, "http://localhost:3000", role)).clients;
    const production = (list: Awaited<ReturnType<typeof clients>>) => list.find((c) => c.name.includes("production"));
    const sandbox = (list: Awaited<ReturnType<typeof clients>>) => list.find((c) => c.name.includes("sandbox"));

    const spoc = await clients("spoc");
    expect(production(spoc)?.current).toMatchObject({ canRevoke: true, canReveal: true });
    expect(sandbox(spoc)?.current).toMatchObject({ canRevoke: false, revokeBlockedReason: LAST_LIVE_SECRET_MESSAGE });
    const admin = await clients("admin");
    expect(production(admin)?.next).toMatchObject({ canRevoke: false, revokeBlockedReason: null, canReveal: true });
    for (const role of ["member", null] as const) {
      expect(production(await clients(role))?.current).toMatchObject({ canRevoke: false, canReveal: false });
    }
    const finvu = await getApiDetails(handle.db, await org("finvu"), now, "http://localhost:3000", "spoc");
    expect(finvu.clients[0]?.current).toMatchObject({ canReveal: false, revealBlockedReason: SHOW_ONCE_MESSAGE });
    expect(finvu.clients[0]?.keys[0]).toMatchObject({ canRevoke: true, revokeBlockedReason: null });
  });

  it("keeps the show-once organisation's secrets with no decryptable copy", async () => {
    const finvu = await org("finvu");
    const rows = await handle.db
      .select({ ciphertext: clientSecrets.ciphertext })
      .from(clientSecrets)
      .innerJoin(oauthClients, eq(oauthClients.id, clientSecrets.clientId))
      .where(eq(oauthClients.organisationId, finvu.id));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.ciphertext === null)).toBe(true);
  });

  it("has active and deactivated users with every role, and a platform operator", async () => {
    const northwind = await org("northwind");
    const active = await listActiveMembers(handle.db, northwind.id);
    expect(new Set(active.map((m) => m.role))).toEqual(new Set(["admin", "spoc", "member"]));
    const gone = await listDeactivatedMembers(handle.db, northwind.id);
    expect(gone.length).toBeGreaterThan(0);
    expect(gone[0]?.deactivatedBy).toBe("Alice Adeyemi");
    const operator = await findUserByEmail(handle.db, "operator@rotor.example");
    expect(operator && (await isPlatformOperator(handle.db, operator.id))).toBe(true);
    expect((await listDemoAccounts(handle.db)).some((a) => a.role === "operator")).toBe(true);
  });
});

describe("searching the people tabs", () => {
  it("matches name or e-mail in any case, filters by role, and takes LIKE's wildcards literally", async () => {
    const northwind = await org("northwind");
    const search = (q: string, role: "admin" | "spoc" | "member" | null = null) =>
      searchActiveMembers(handle.db, northwind.id, { q, role, page: 1 });
    expect((await search("ALICE")).rows.map((m) => m.email)).toEqual(["alice.admin@northwind.example"]);
    expect((await search("mahmood")).rows.map((m) => m.email)).toEqual(["mo.member@northwind.example"]);
    expect((await search("", "spoc")).rows.map((m) => m.email)).toEqual(["api-team@northwind.example"]);
    expect((await search("alice", "member")).total).toBe(0);
    expect((await search("%")).total).toBe(0);
    expect((await search("_")).total).toBe(0);
    expect((await search("\\")).total).toBe(0);
    expect((await search("api-team@")).total).toBe(1);
    const gone = await searchDeactivatedMembers(handle.db, northwind.id, { q: "DOYLE", role: null, page: 1 });
    expect(gone.rows.map((m) => m.email)).toEqual(["dave.former@northwind.example"]);
    expect((await searchDeactivatedMembers(handle.db, northwind.id, { q: "", role: "admin", page: 1 })).rows.map((m) => m.email)).toEqual([
      "erin.former-admin@northwind.example",
    ]);
  });

  it("pages by 25 without overlap, and shows the last page for a page past the end", async () => {
    const crowd = await anOrganisation(handle.db, { slug: "crowded", name: "Crowded" });
    for (let i = 0; i < PEOPLE_PAGE_SIZE + 5; i++) {
      await aMember(handle.db, crowd, { email: `p${String(i).padStart(2, "0")}@crowded.example`, name: "Same Name", now });
    }
    const page = (n: number) => searchActiveMembers(handle.db, crowd.id, { q: "", role: null, page: n });
    const [one, two, far] = [await page(1), await page(2), await page(9)];
    expect([one.rows.length, two.rows.length, one.total, one.pageCount]).toEqual([PEOPLE_PAGE_SIZE, 5, PEOPLE_PAGE_SIZE + 5, 2]);
    expect(new Set([...one.rows, ...two.rows].map((m) => m.email)).size).toBe(PEOPLE_PAGE_SIZE + 5);
    expect(far.page).toBe(2);
    expect(far.rows.map((m) => m.email)).toEqual(two.rows.map((m) => m.email));
  });
});

describe("tenant scoping", () => {
  it("gives a user of one organisation no membership of the other", async () => {
    const alice = await findUserByEmail(handle.db, "alice.admin@northwind.example");
    if (!alice) throw new Error("no alice");
    expect(await findActiveMembership(handle.db, (await org("northwind")).id, alice.id)).toEqual({ role: "admin" });
    expect(await findActiveMembership(handle.db, (await org("finvu")).id, alice.id)).toBeNull();
    expect((await listOrganisationsForUser(handle.db, alice.id)).map((o) => o.slug)).toEqual(["northwind"]);
  });

  it("does not count a deactivated membership", async () => {
    const dave = await findUserByEmail(handle.db, "dave.former@northwind.example");
    if (!dave) throw new Error("no dave");
    expect(await findActiveMembership(handle.db, (await org("northwind")).id, dave.id)).toBeNull();
  });

  it("lists only the organisation's own offices and clients", async () => {
    const finvu = await org("finvu");
    expect((await listOffices(handle.db, finvu.id)).map((o) => o.name)).toEqual(["Bengaluru engineering", "Mumbai head office"]);
    expect((await getCredentialHealth(handle.db, finvu, now)).map((c) => c.name)).toEqual(["Account aggregator gateway"]);
  });
});

describe("look-ups by what a request names (a URL, a bound action argument, Auth.js's own form)", () => {
  it("find nothing, without asking the database, for a slug, client ID or e-mail address that cannot exist", async () => {
    const northwind = await org("northwind");
    const { findOrganisationOrFail } = await import("@/lib/organisations/find-organisation");
    const { getClientCredentials } = await import("./client-credentials");
    for (const bad of ["northwind\u0000", "\u0000", "North Wind"]) {
      expect(await findOrganisationBySlug(handle.db, bad), JSON.stringify(bad)).toBeNull();
      await expect(findOrganisationOrFail(handle.db, bad)).rejects.toMatchObject({ code: "not_found" });
      expect(await getClientCredentials(handle.db, northwind, bad, now), JSON.stringify(bad)).toBeNull();
    }
    expect(await findUserByEmail(handle.db, "alice.admin@northwind.example\u0000")).toBeNull();
    expect(await findUserByEmail(handle.db, "alice.admin@northwind.example")).not.toBeNull();
  });
});

describe("the database refuses bad states", () => {
  it("refuses a second active SPOC in one organisation", async () => {
    const northwind = await org("northwind");
    const [user] = await handle.db.insert(users).values({ email: "second-spoc@northwind.example" }).returning();
    await expect(
      handle.db.insert(memberships).values({ organisationId: northwind.id, userId: user?.id ?? "", role: "spoc" }),
    ).rejects.toThrow();
  });

  it("refuses an overlap as long as the validity period, and a validity of zero days", async () => {
    await expect(
      handle.db.insert(organisations).values({ slug: "bad-one", name: "Bad", validityDays: 30, overlapDays: 30 }),
    ).rejects.toThrow();
    await expect(
      handle.db.insert(organisations).values({ slug: "bad-two", name: "Bad", validityDays: 0, overlapDays: 0 }),
    ).rejects.toThrow();
  });

  it("refuses a secret that expires before it is created, or that is not a digest", async () => {
    const [client] = await handle.db.select({ id: oauthClients.id }).from(oauthClients).limit(1);
    const base = { clientId: client?.id ?? "", maskedTail: "abcd", issuedBy: "user" as const };
    await expect(
      handle.db
        .insert(clientSecrets)
        .values({ ...base, digest: "0".repeat(64), createdAt: now, expiresAt: new Date(now.getTime() - 1000) }),
    ).rejects.toThrow();
    await expect(
      handle.db
        .insert(clientSecrets)
        .values({ ...base, digest: "plain-text-secret", createdAt: now, expiresAt: new Date(now.getTime() + 1000) }),
    ).rejects.toThrow();
  });

  it("refuses a deactivated membership without the time it happened", async () => {
    const northwind = await org("northwind");
    const [user] = await handle.db.insert(users).values({ email: "no-when@northwind.example" }).returning();
    await expect(
      handle.db.insert(memberships).values({ organisationId: northwind.id, userId: user?.id ?? "", role: "member", status: "deactivated" }),
    ).rejects.toThrow();
  });
});
