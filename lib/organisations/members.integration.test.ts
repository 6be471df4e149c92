import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { memberships, personalApiTokens, platformSettings, sessions, users } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { createTestDatabase } from "@/db/testing/test-database";
import { createApiToken } from "@/lib/api-tokens/api-tokens";
import type { Actor } from "@/lib/context";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { createSession } from "@/lib/data/sessions";
import { findUserByEmail } from "@/lib/data/users";
import type { DomainError } from "@/lib/errors";
import { inviteUser } from "./manage";
import { changeRole, deactivateMember, reactivateMember } from "./members";
import { addOffice, officeInput } from "./offices";

const now = new Date();
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db, { now, keyRing: parseKeyRing(`t:${randomBytes(32).toString("base64")}`) });
});
afterAll(async () => handle?.close());

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as DomainError,
  );

async function admin(email = "alice.admin@northwind.example"): Promise<Actor> {
  const u = await findUserByEmail(handle.db, email);
  return { type: "user", userId: u!.id, label: email };
}
async function membershipOf(email: string, slug = "northwind") {
  const org = await findOrganisationBySlug(handle.db, slug);
  const u = await findUserByEmail(handle.db, email);
  const [m] = await handle.db
    .select()
    .from(memberships)
    .where(and(eq(memberships.organisationId, org!.id), eq(memberships.userId, u!.id)));
  return { org: org!, membership: m!, userId: u!.id };
}

describe("people of an organisation", () => {
  it("keeps at least one active admin: the last one can be neither demoted nor de-activated", async () => {
    const { org, membership } = await membershipOf("alice.admin@northwind.example");
    const acting = { actor: await admin("api-team@northwind.example"), isOperator: false };
    expect((await refusal(changeRole(handle.db, acting, org.id, membership.id, "member", now)))?.message).toMatch(/last active admin/);
    expect((await refusal(deactivateMember(handle.db, acting, org.id, membership.id, now)))?.message).toMatch(/last active admin/);
  });

  it("never lets a person de-activate themselves", async () => {
    const { org, membership } = await membershipOf("alice.admin@northwind.example");
    const error = await refusal(deactivateMember(handle.db, { actor: await admin(), isOperator: false }, org.id, membership.id, now));
    expect(error?.message).toMatch(/cannot de-activate yourself/);
  });

  it("leaves designating the SPOC to the platform operator unless the platform allows admins to", async () => {
    const { org, membership } = await membershipOf("mo.member@northwind.example");
    const acting = { actor: await admin(), isOperator: false };
    expect((await refusal(changeRole(handle.db, acting, org.id, membership.id, "spoc", now)))?.code).toBe("forbidden");
    expect(
      (await refusal(inviteUser(handle.db, acting.actor, "northwind", { email: "x@northwind.example", role: "spoc" }, now)))?.code,
    ).toBe("forbidden");
    await handle.db.update(platformSettings).set({ adminsMayDesignateSpoc: true });
    expect((await refusal(changeRole(handle.db, acting, org.id, membership.id, "spoc", now)))?.message).toMatch(
      /already has a designated user/,
    );
    await handle.db.update(platformSettings).set({ adminsMayDesignateSpoc: false });
  });

  it("ends a de-activated person's sessions and API tokens at once, and re-activation restores the membership only", async () => {
    const spoc = await membershipOf("api-team@northwind.example");
    await createSession(handle.db, spoc.userId, now);
    const token = await createApiToken(
      handle.db,
      { userId: spoc.userId, label: "spoc" },
      { organisation: "northwind", name: "t", scope: "rotate", expiresInDays: 7 },
      now,
    );
    const operator = { actor: await admin(), isOperator: true };
    await deactivateMember(handle.db, operator, spoc.org.id, spoc.membership.id, now);
    expect(await handle.db.select().from(sessions).where(eq(sessions.userId, spoc.userId))).toEqual([]);
    const [t] = await handle.db.select().from(personalApiTokens).where(eq(personalApiTokens.id, token.id));
    expect(t?.revokedAt).not.toBeNull();
    await reactivateMember(handle.db, operator, spoc.org.id, spoc.membership.id);
    const [t2] = await handle.db.select().from(personalApiTokens).where(eq(personalApiTokens.id, token.id));
    expect(t2?.revokedAt).not.toBeNull();
  });

  it("links a first sign-in to the invited account by e-mail, case-insensitively", async () => {
    await inviteUser(handle.db, await admin(), "northwind", { email: "new.person@northwind.example", role: "member" }, now);
    const [u] = await handle.db.select().from(users).where(eq(users.email, "new.person@northwind.example"));
    expect(u).toBeDefined();
    expect(
      (await refusal(inviteUser(handle.db, await admin(), "northwind", { email: "new.person@northwind.example", role: "admin" }, now)))
        ?.message,
    ).toMatch(/already an active member/);
  });
});

describe("offices", () => {
  it("validates with messages that say how to fix it", () => {
    const bad = officeInput.safeParse({
      name: "",
      addressLine1: "1 Road",
      town: "Leeds",
      postcode: "??",
      country: "United Kingdom",
      phone: "call me",
    });
    const messages = bad.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        "Give the office a name.",
        "That does not look like a postcode, e.g. EC3V 1AB or 400051.",
        "Use the two-letter country code, e.g. GB or IN.",
        "A phone number is digits, spaces, brackets or dashes, e.g. 020 7946 0000.",
      ]),
    );
  });

  it("refuses a second office of the same name (any case) in one organisation", async () => {
    const { org } = await membershipOf("alice.admin@northwind.example");
    const input = officeInput.parse({ name: "Leeds hub", addressLine1: "1 Park Row", town: "Leeds", postcode: "ls1 5ab", country: "gb" });
    expect((await addOffice(handle.db, await admin(), org.id, input, now)).postcode).toBe("LS1 5AB");
    const again = await refusal(addOffice(handle.db, await admin(), org.id, { ...input, name: "LEEDS HUB" }, now));
    expect(again?.message).toMatch(/already has an office called "LEEDS HUB"/);
  });
});

describe("tenant scoping of the people and office use cases", () => {
  it("treats another organisation's member or office as not found", async () => {
    const northwind = await findOrganisationBySlug(handle.db, "northwind");
    const arjun = await membershipOf("arjun.member@finvu.example", "finvu");
    const acting = { actor: await admin(), isOperator: false };
    // One at a time, each started only when it is awaited: a list of started promises would leave
    // the later ones rejecting unobserved while the first is awaited (an unhandled rejection).
    for (const attempt of [
      () => deactivateMember(handle.db, acting, northwind!.id, arjun.membership.id, now),
      () => reactivateMember(handle.db, acting, northwind!.id, arjun.membership.id),
      () => changeRole(handle.db, acting, northwind!.id, arjun.membership.id, "admin", now),
    ]) {
      expect((await refusal(attempt()))?.code).toBe("not_found");
    }
    const finvuOffice = await addOffice(
      handle.db,
      acting.actor,
      arjun.org.id,
      officeInput.parse({ name: "Pune", addressLine1: "1 FC Road", town: "Pune", postcode: "411004", country: "IN" }),
      now,
    );
    const { setOfficeClosed, updateOffice } = await import("./offices");
    expect((await refusal(setOfficeClosed(handle.db, acting.actor, northwind!.id, finvuOffice.id, true, now)))?.code).toBe("not_found");
    expect(
      (
        await refusal(
          updateOffice(
            handle.db,
            acting.actor,
            northwind!.id,
            finvuOffice.id,
            officeInput.parse({ name: "X", addressLine1: "Y", town: "Z", postcode: "AB1 2CD" }),
          ),
        )
      )?.code,
    ).toBe("not_found");
    const [still] = await handle.db.select().from(memberships).where(eq(memberships.id, arjun.membership.id));
    expect(still?.status).toBe("active");
  });
});

describe("the platform operator designating a SPOC", () => {
  it("moves the role: the old designated user becomes a member, the new one is invited or promoted, in one step", async () => {
    const { designateSpoc } = await import("./members");
    const finvu = await findOrganisationBySlug(handle.db, "finvu");
    const operator = await admin("operator@rotor.example");
    const result = await designateSpoc(handle.db, operator, finvu!.id, "new-rotation@finvu.example", now);
    expect(result.previous).toBe("secret-rotation@finvu.example");
    const old = await membershipOf("secret-rotation@finvu.example", "finvu");
    expect(old.membership.role).toBe("member");
    const fresh = await membershipOf("new-rotation@finvu.example", "finvu");
    expect(fresh.membership).toMatchObject({ role: "spoc", status: "active" });
    expect((await refusal(designateSpoc(handle.db, operator, finvu!.id, "new-rotation@finvu.example", now)))?.message).toMatch(
      /already the designated user/,
    );
    expect((await refusal(designateSpoc(handle.db, operator, finvu!.id, "priya.admin@finvu.example", now)))?.message).toMatch(
      /last active admin/,
    );
    await designateSpoc(handle.db, operator, finvu!.id, "arjun.member@finvu.example", now);
    expect((await membershipOf("arjun.member@finvu.example", "finvu")).membership.role).toBe("spoc");
    expect((await membershipOf("new-rotation@finvu.example", "finvu")).membership.role).toBe("member");
  });
});

describe("de-activating by e-mail (the CLI's way in)", () => {
  it("applies the same rules as the portal: unknown people are not found, sessions end at once", async () => {
    const { deactivateUser } = await import("./manage");
    const cli: Actor = { type: "cli", userId: null, label: "CLI" };
    expect((await refusal(deactivateUser(handle.db, cli, "northwind", "nobody@northwind.example", now)))?.message).toMatch(
      /is not a member of Northwind/,
    );
    const mo = await membershipOf("mo.member@northwind.example");
    await createSession(handle.db, mo.userId, now);
    await deactivateUser(handle.db, cli, "northwind", "Mo.Member@northwind.example", now);
    expect(await handle.db.select().from(sessions).where(eq(sessions.userId, mo.userId))).toEqual([]);
    expect((await refusal(deactivateUser(handle.db, cli, "northwind", "mo.member@northwind.example", now)))?.message).toMatch(
      /already de-activated/,
    );
  });
});
