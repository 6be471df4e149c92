import { randomBytes } from "node:crypto";
import { and, arrayContains, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEvents, emailOutbox, memberships, personalApiTokens, platformSettings, sessions, users } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { cliIn, cliPlatform, personIn, personOnPlatform } from "@/db/testing/contexts";
import { createTestDatabase } from "@/db/testing/test-database";
import { createApiToken } from "@/lib/api-tokens/api-tokens";
import type { OrganisationContext } from "@/lib/context";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { createSession } from "@/lib/data/sessions";
import { findUserByEmail } from "@/lib/data/users";
import type { DomainError } from "@/lib/errors";
import { addOffice } from "./add-office";
import { changeRole } from "./change-role";
import { deactivateMember } from "./deactivate-member";
import { inviteUser } from "./invite-user";
import { reactivateMember } from "./reactivate-member";
import { officeInput } from "./schemas";

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

/** A person acting in an organisation with the role the edge resolved (or claims, for a forged call). */
async function as(email: string, slug: string, role: OrganisationContext["role"], isOperator = false): Promise<OrganisationContext> {
  const organisation = await findOrganisationBySlug(handle.db, slug);
  const u = await findUserByEmail(handle.db, email);
  return personIn(handle.db, organisation!, { userId: u!.id, label: email, role, isOperator }, now);
}
/** Alice, Northwind's admin, in her own organisation. */
const admin = () => as("alice.admin@northwind.example", "northwind", "admin");
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
    const cli = cliIn(handle.db, org, now);
    expect((await refusal(changeRole(cli, { membershipId: membership.id, role: "member" })))?.message).toMatch(/last active admin/);
    expect((await refusal(deactivateMember(cli, { membershipId: membership.id })))?.message).toMatch(/last active admin/);
  });

  it("never lets a person de-activate themselves", async () => {
    const { membership } = await membershipOf("alice.admin@northwind.example");
    const error = await refusal(deactivateMember(await admin(), { membershipId: membership.id }));
    expect(error?.message).toMatch(/cannot de-activate yourself/);
  });

  it("leaves designating the SPOC to the platform operator unless the platform allows admins to", async () => {
    const { membership } = await membershipOf("mo.member@northwind.example");
    const acting = await admin();
    expect((await refusal(changeRole(acting, { membershipId: membership.id, role: "spoc" })))?.code).toBe("forbidden");
    expect((await refusal(inviteUser(acting, { email: "x@northwind.example", role: "spoc" })))?.code).toBe("forbidden");
    await handle.db.update(platformSettings).set({ adminsMayDesignateSpoc: true });
    expect((await refusal(changeRole(acting, { membershipId: membership.id, role: "spoc" })))?.message).toMatch(
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
    const operator = await as("alice.admin@northwind.example", "northwind", "admin", true);
    await deactivateMember(operator, { membershipId: spoc.membership.id });
    expect(await handle.db.select().from(sessions).where(eq(sessions.userId, spoc.userId))).toEqual([]);
    const [t] = await handle.db.select().from(personalApiTokens).where(eq(personalApiTokens.id, token.id));
    expect(t?.revokedAt).not.toBeNull();
    await reactivateMember(operator, { membershipId: spoc.membership.id });
    const [t2] = await handle.db.select().from(personalApiTokens).where(eq(personalApiTokens.id, token.id));
    expect(t2?.revokedAt).not.toBeNull();
  });

  it("links a first sign-in to the invited account by e-mail, case-insensitively", async () => {
    await inviteUser(await admin(), { email: "new.person@northwind.example", role: "member" });
    const [u] = await handle.db.select().from(users).where(eq(users.email, "new.person@northwind.example"));
    expect(u).toBeDefined();
    expect((await refusal(inviteUser(await admin(), { email: "new.person@northwind.example", role: "admin" })))?.message).toMatch(
      /already an active member/,
    );
  });
});

describe("the only designated user (SPOC) is never lost silently", () => {
  it("refuses an admin de-activating or demoting them, saying what to do", async () => {
    const spoc = await membershipOf("api-team@northwind.example");
    const acting = await admin();
    const deactivation = await refusal(deactivateMember(acting, { membershipId: spoc.membership.id }));
    expect(deactivation?.code).toBe("conflict");
    expect(deactivation?.message).toBe(
      "api-team@northwind.example is Northwind Insurance's only designated user (SPOC); without one nobody can rotate secrets. Ask the platform operator to designate a new designated user first.",
    );
    await handle.db.update(platformSettings).set({ adminsMayDesignateSpoc: true });
    try {
      for (const attempt of [
        () => deactivateMember(acting, { membershipId: spoc.membership.id }),
        () => changeRole(acting, { membershipId: spoc.membership.id, role: "member" }),
      ]) {
        expect((await refusal(attempt()))?.message).toMatch(/only designated user .* Name a new designated user in the same step/);
      }
    } finally {
      await handle.db.update(platformSettings).set({ adminsMayDesignateSpoc: false });
    }
    expect((await membershipOf("api-team@northwind.example")).membership).toMatchObject({ role: "spoc", status: "active" });
  });

  it("hands the role over in the same step where the platform lets admins designate, and never to a de-activated person", async () => {
    const spoc = await membershipOf("api-team@northwind.example");
    const mo = await membershipOf("mo.member@northwind.example");
    const dave = await membershipOf("dave.former@northwind.example");
    const acting = await admin();
    const handOver = (from: string, to: string) => changeRole(acting, { membershipId: from, role: "member", successorMembershipId: to });
    expect((await refusal(handOver(spoc.membership.id, mo.membership.id)))?.code).toBe("forbidden");
    await handle.db.update(platformSettings).set({ adminsMayDesignateSpoc: true });
    try {
      expect((await refusal(handOver(spoc.membership.id, dave.membership.id)))?.message).toMatch(/de-activated; re-activate them first/);
      expect((await refusal(handOver(spoc.membership.id, spoc.membership.id)))?.message).toMatch(/Choose someone else/);
      await handOver(spoc.membership.id, mo.membership.id);
      expect((await membershipOf("api-team@northwind.example")).membership.role).toBe("member");
      expect((await membershipOf("mo.member@northwind.example")).membership.role).toBe("spoc");
      const [event] = await handle.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, "user.spoc_designated"), eq(auditEvents.targetId, mo.membership.id)));
      expect(event?.metadata).toMatchObject({ email: "mo.member@northwind.example", previous: "api-team@northwind.example" });
      // Back again, through de-activation's hand-over this time.
      expect((await refusal(changeRole(acting, { membershipId: spoc.membership.id, role: "spoc" })))?.message).toMatch(
        /already has a designated user/,
      );
      await deactivateMember(acting, { membershipId: mo.membership.id, successorMembershipId: spoc.membership.id });
      expect((await membershipOf("api-team@northwind.example")).membership.role).toBe("spoc");
      expect((await membershipOf("mo.member@northwind.example")).membership.status).toBe("deactivated");
      expect((await refusal(reactivateMember(acting, { membershipId: mo.membership.id })))?.message).toMatch(/would be a second/);
      // Leave Mo as the demo has him for the tests that follow.
      await handle.db.update(memberships).set({ role: "member" }).where(eq(memberships.id, mo.membership.id));
      await reactivateMember(acting, { membershipId: mo.membership.id });
    } finally {
      await handle.db.update(platformSettings).set({ adminsMayDesignateSpoc: false });
    }
  });
});

describe("a person's last sign-in", () => {
  it("is recorded whenever a session is created: the demo's sign-in and Auth.js's (OIDC, e-mail link)", async () => {
    const { rotorAdapter } = await import("@/lib/data/auth-adapter");
    await inviteUser(await admin(), { email: "first.timer@northwind.example", role: "member" });
    const fresh = await findUserByEmail(handle.db, "first.timer@northwind.example");
    const lastSignIn = async () =>
      (await handle.db.select({ at: users.lastSignedInAt }).from(users).where(eq(users.id, fresh!.id)))[0]?.at ?? null;
    expect(await lastSignIn()).toBeNull();
    const earlier = new Date(now.getTime() - 3_600_000);
    await createSession(handle.db, fresh!.id, earlier);
    expect(await lastSignIn()).toEqual(earlier);
    const before = Date.now();
    await rotorAdapter(handle.db).createSession!({ sessionToken: "t0k3n", userId: fresh!.id, expires: new Date(before + 3_600_000) });
    expect((await lastSignIn())!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });
});

describe("the invitation e-mail", () => {
  it("queues exactly one mail to the invited person with the invitation, saying who, where and which role, with no link token", async () => {
    const { renderMessage } = await import("@/lib/email/render");
    const outboxOf = (to: string) =>
      handle.db
        .select()
        .from(emailOutbox)
        .where(arrayContains(emailOutbox.toAddresses, [to]));
    await inviteUser(await admin(), { email: "welcome.person@northwind.example", name: "Wanda Welcome", role: "member" });
    const queued = await outboxOf("welcome.person@northwind.example");
    expect(queued).toHaveLength(1);
    const [mail] = queued;
    expect(mail).toMatchObject({ kind: "invitation", toAddresses: ["welcome.person@northwind.example"], template: "invitation" });
    expect(mail?.organisationId).toBe((await findOrganisationBySlug(handle.db, "northwind"))!.id);
    expect(mail?.subject).toBe("Alice Adeyemi invited you to Northwind Insurance on Claims Exchange");
    expect(JSON.stringify(mail?.data)).not.toMatch(/https?:|token|secret|sealed/i);
    const rendered = await renderMessage(mail!, now, "https://rotor.example");
    expect(rendered.text).toContain("Alice Adeyemi invited you to Northwind Insurance on Claims Exchange. Your role there: Member.");
    expect(rendered.text).toContain("https://rotor.example/signin");
    expect(rendered.html).not.toMatch(/token=|callbackUrl|\/api\/auth\/callback/);
    // A refused invitation queues nothing: the mail commits with the membership or not at all.
    await refusal(inviteUser(await admin(), { email: "welcome.person@northwind.example", role: "admin" }));
    expect(await outboxOf("welcome.person@northwind.example")).toHaveLength(1);
  });

  it("is sent again on request at most once every 10 minutes, and only to someone who has not signed in", async () => {
    const { resendInvitation } = await import("./resend-invitation");
    const welcome = await membershipOf("welcome.person@northwind.example");
    const alice = await findUserByEmail(handle.db, "alice.admin@northwind.example");
    const at = (later: Date) =>
      personIn(
        handle.db,
        welcome.org,
        { userId: alice!.id, label: "alice.admin@northwind.example", role: "admin", isOperator: false },
        later,
      );
    const soon = await refusal(resendInvitation(at(new Date(now.getTime() + 9 * 60_000)), { membershipId: welcome.membership.id }));
    expect(soon?.message).toMatch(/less than 10 minutes ago\. You can send it again after/);
    await resendInvitation(at(new Date(now.getTime() + 11 * 60_000)), { membershipId: welcome.membership.id });
    const mails = await handle.db
      .select()
      .from(emailOutbox)
      .where(arrayContains(emailOutbox.toAddresses, ["welcome.person@northwind.example"]));
    expect(mails).toHaveLength(2);
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "user.invitation_resent"), eq(auditEvents.targetId, welcome.userId)));
    expect(event?.metadata).toEqual({ email: "welcome.person@northwind.example" });
    await createSession(handle.db, welcome.userId, now);
    const signedIn = await refusal(resendInvitation(at(new Date(now.getTime() + 60 * 60_000)), { membershipId: welcome.membership.id }));
    expect(signedIn?.message).toMatch(/already signed in/);
    const member = await as("mo.member@northwind.example", "northwind", "admin");
    expect((await refusal(resendInvitation(member, { membershipId: welcome.membership.id })))?.code).toBe("forbidden");
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
    const input = officeInput.parse({ name: "Leeds hub", addressLine1: "1 Park Row", town: "Leeds", postcode: "ls1 5ab", country: "gb" });
    expect((await addOffice(await admin(), input)).postcode).toBe("LS1 5AB");
    const again = await refusal(addOffice(await admin(), { ...input, name: "LEEDS HUB" }));
    expect(again?.message).toMatch(/already has an office called "LEEDS HUB"/);
  });
});

describe("tenant scoping of the people and office use cases", () => {
  it("treats another organisation's member or office as not found", async () => {
    const arjun = await membershipOf("arjun.member@finvu.example", "finvu");
    const acting = await admin();
    // One at a time, each started only when it is awaited: a list of started promises would leave
    // the later ones rejecting unobserved while the first is awaited (an unhandled rejection).
    for (const attempt of [
      () => deactivateMember(acting, { membershipId: arjun.membership.id }),
      () => reactivateMember(acting, { membershipId: arjun.membership.id }),
      () => changeRole(acting, { membershipId: arjun.membership.id, role: "admin" }),
    ]) {
      expect((await refusal(attempt()))?.code).toBe("not_found");
    }
    const finvuOffice = await addOffice(
      cliIn(handle.db, arjun.org, now),
      officeInput.parse({ name: "Pune", addressLine1: "1 FC Road", town: "Pune", postcode: "411004", country: "IN" }),
    );
    const { setOfficeClosed } = await import("./set-office-closed");
    const { updateOffice } = await import("./update-office");
    expect((await refusal(setOfficeClosed(acting, { officeId: finvuOffice.id, closed: true })))?.code).toBe("not_found");
    expect(
      (
        await refusal(
          updateOffice(acting, {
            officeId: finvuOffice.id,
            office: officeInput.parse({ name: "X", addressLine1: "Y", town: "Z", postcode: "AB1 2CD" }),
          }),
        )
      )?.code,
    ).toBe("not_found");
    const [still] = await handle.db.select().from(memberships).where(eq(memberships.id, arjun.membership.id));
    expect(still?.status).toBe("active");
  });
});

describe("the platform operator designating a SPOC", () => {
  it("moves the role: the old designated user becomes a member, the new one is invited or promoted, in one step", async () => {
    const { designateSpoc } = await import("./designate-spoc");
    const finvu = await findOrganisationBySlug(handle.db, "finvu");
    const u = await findUserByEmail(handle.db, "operator@rotor.example");
    const operator = personOnPlatform(handle.db, { userId: u!.id, label: "operator@rotor.example", isOperator: true }, now);
    const designate = (email: string) => designateSpoc(operator, { organisationId: finvu!.id, email });
    const result = await designate("new-rotation@finvu.example");
    expect(result.previous).toBe("secret-rotation@finvu.example");
    const old = await membershipOf("secret-rotation@finvu.example", "finvu");
    expect(old.membership.role).toBe("member");
    const fresh = await membershipOf("new-rotation@finvu.example", "finvu");
    expect(fresh.membership).toMatchObject({ role: "spoc", status: "active" });
    expect((await refusal(designate("new-rotation@finvu.example")))?.message).toMatch(/already the designated user/);
    expect((await refusal(designate("priya.admin@finvu.example")))?.message).toMatch(/last active admin/);
    await designate("arjun.member@finvu.example");
    expect((await membershipOf("arjun.member@finvu.example", "finvu")).membership.role).toBe("spoc");
    expect((await membershipOf("new-rotation@finvu.example", "finvu")).membership.role).toBe("member");
  });
});

describe("de-activating by e-mail (the CLI's way in)", () => {
  it("applies the same rules as the portal: unknown people are not found, sessions end at once", async () => {
    const { deactivateUser } = await import("./deactivate-user");
    const cli = cliIn(handle.db, (await findOrganisationBySlug(handle.db, "northwind"))!, now);
    expect((await refusal(deactivateUser(cli, { email: "nobody@northwind.example" })))?.message).toMatch(/is not a member of Northwind/);
    const mo = await membershipOf("mo.member@northwind.example");
    await createSession(handle.db, mo.userId, now);
    await deactivateUser(cli, { email: "Mo.Member@northwind.example" });
    expect(await handle.db.select().from(sessions).where(eq(sessions.userId, mo.userId))).toEqual([]);
    expect((await refusal(deactivateUser(cli, { email: "mo.member@northwind.example" })))?.message).toMatch(/already de-activated/);
  });
});

describe("authorization inside the use cases (a forged call meets the rule, not a hidden button)", () => {
  it("refuses an admin of one organisation inviting into another, whatever role the call claims", async () => {
    for (const role of [null, "admin"] as const) {
      const error = await refusal(
        inviteUser(await as("alice.admin@northwind.example", "finvu", role), { email: "z@finvu.example", role: "member" }),
      );
      expect(error?.code, String(role)).toBe("forbidden");
    }
    expect(await findUserByEmail(handle.db, "z@finvu.example")).toBeNull();
  });

  it("refuses a member managing people or offices, even with a forged admin role (re-read under lock)", async () => {
    const target = await membershipOf("kiran.former@finvu.example", "finvu");
    for (const role of ["member", "admin"] as const) {
      const mo = await as("arjun.member@finvu.example", "finvu", role);
      expect((await refusal(reactivateMember(mo, { membershipId: target.membership.id })))?.code, role).toBe("forbidden");
      const office = officeInput.parse({ name: `Forged ${role}`, addressLine1: "1 Road", town: "Pune", postcode: "411004", country: "IN" });
      expect((await refusal(addOffice(mo, office)))?.code, role).toBe("forbidden");
    }
  });

  it("leaves onboarding, clients, operators and platform limits to the platform operator", async () => {
    const { createOrganisation } = await import("./create-organisation");
    const { createClient } = await import("./create-client");
    const { addOperator } = await import("./add-operator");
    const { updatePlatformSettings } = await import("./update-platform-settings");
    const { designateSpoc } = await import("./designate-spoc");
    const alice = await admin();
    const aliceOnPlatform = personOnPlatform(handle.db, { userId: alice.actor.userId!, label: alice.actor.label, isOperator: false }, now);
    const policy = { validityDays: 90, overlapDays: 10, reminderOffsets: [10, 0], autoIssue: false, secretRevealPolicy: "reveal" as const };
    const attempts = [
      () => createOrganisation(aliceOnPlatform, { name: "Rogue Ltd", timeZone: "Europe/London", locale: "en-GB", policy }),
      () =>
        createClient(alice, {
          name: "Rogue",
          scopes: [],
          audiences: [],
          defaultAudience: null,
          tokenTtlSeconds: 3600,
          legacyAudience: false,
          accessTokenAlg: "ES256",
        }),
      () => addOperator(aliceOnPlatform, { email: "alice.admin@northwind.example" }),
      () =>
        updatePlatformSettings(aliceOnPlatform, {
          serviceName: "Mine",
          apiEndpoint: null,
          maxValidityDays: 3650,
          allowedAudiences: [],
          adminsMayDesignateSpoc: true,
          spocsMaySetJwksUri: true,
          spocsMaySetLegacyAudience: false,
        }),
      () => designateSpoc(aliceOnPlatform, { organisationId: alice.organisation.id, email: "mo.member@northwind.example" }),
    ];
    for (const attempt of attempts) {
      const error = await refusal(attempt());
      expect(error?.code).toBe("forbidden");
      expect(error?.message).toBe("Only the platform operator can do this.");
    }
    expect(await findOrganisationBySlug(handle.db, "rogue-ltd")).toBeNull();
    const created = await createOrganisation(cliPlatform(handle.db, now), {
      name: "Rogue Ltd",
      timeZone: "Europe/London",
      locale: "en-GB",
      policy,
    });
    expect(created.slug).toBe("rogue-ltd");
    expect(
      (
        await refusal(
          createOrganisation(cliPlatform(handle.db, now), { name: "Rogue Ltd", timeZone: "Europe/London", locale: "en-GB", policy }),
        )
      )?.message,
    ).toMatch(/slug "rogue-ltd" already exists/);
  });
});
