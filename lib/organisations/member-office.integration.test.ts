import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEvents, memberships, offices } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { personIn } from "@/db/testing/contexts";
import { createTestDatabase } from "@/db/testing/test-database";
import type { OrganisationContext } from "@/lib/context";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { findUserByEmail } from "@/lib/data/users";
import { DomainError } from "@/lib/errors";
import { inviteUser } from "./invite-user";
import { setMemberOffice } from "./set-member-office";

const now = new Date();
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db, { now, keyRing: parseKeyRing(`t:${randomBytes(32).toString("base64")}`) });
});
afterAll(async () => handle?.close());

/** The refusal as a whole: its kind, code, message and the field it is about. */
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: DomainError) => ({ name: e.name, code: e.code, message: e.message, field: e.field }),
  );
const whole = (e: DomainError) => ({ name: e.name, code: e.code, message: e.message, field: e.field });

async function as(email: string, slug: string, role: OrganisationContext["role"]): Promise<OrganisationContext> {
  const organisation = await findOrganisationBySlug(handle.db, slug);
  const u = await findUserByEmail(handle.db, email);
  return personIn(handle.db, organisation!, { userId: u!.id, label: email, role }, now);
}
const alice = () => as("alice.admin@northwind.example", "northwind", "admin");
async function officeId(slug: string, name: string): Promise<string> {
  const org = await findOrganisationBySlug(handle.db, slug);
  const [o] = await handle.db
    .select()
    .from(offices)
    .where(and(eq(offices.organisationId, org!.id), eq(offices.name, name)));
  return o!.id;
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
const officeEvents = (userId: string) =>
  handle.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "user.office_changed"), eq(auditEvents.targetId, userId)))
    .orderBy(auditEvents.id);

describe("a person's office", () => {
  it("is set and cleared by an admin of the organisation, each change audited in full", async () => {
    const mo = await membershipOf("mo.member@northwind.example");
    const aliceUser = await findUserByEmail(handle.db, "alice.admin@northwind.example");
    const manchester = await officeId("northwind", "Manchester claims centre");
    await setMemberOffice(await alice(), { membershipId: mo.membership.id, officeId: manchester });
    expect((await membershipOf("mo.member@northwind.example")).membership.officeId).toBe(manchester);
    await setMemberOffice(await alice(), { membershipId: mo.membership.id, officeId: null });
    expect((await membershipOf("mo.member@northwind.example")).membership.officeId).toBeNull();
    const row = (to: string | null, from: string | null) => ({
      id: expect.any(Number),
      organisationId: mo.org.id,
      actorType: "user",
      actorUserId: aliceUser!.id,
      actorLabel: "alice.admin@northwind.example",
      action: "user.office_changed",
      targetType: "user",
      targetId: mo.userId,
      metadata: { email: "mo.member@northwind.example", from, to },
      ip: null,
      userAgent: null,
      occurredAt: expect.any(Date),
    });
    expect(await officeEvents(mo.userId)).toEqual([row("Manchester claims centre", null), row(null, "Manchester claims centre")]);
  });

  it("must be an open office of the same organisation: another's is not found, a closed one is refused with what to do", async () => {
    const mo = await membershipOf("mo.member@northwind.example");
    const mumbai = await officeId("finvu", "Mumbai head office");
    const bristol = await officeId("northwind", "Bristol office");
    expect(await refusal(setMemberOffice(await alice(), { membershipId: mo.membership.id, officeId: mumbai }))).toEqual(
      whole(new DomainError("not_found", "There is no such office in your organisation.", "officeId")),
    );
    expect(await refusal(setMemberOffice(await alice(), { membershipId: mo.membership.id, officeId: bristol }))).toEqual(
      whole(new DomainError("conflict", "Bristol office is closed; reopen it on the Offices tab or choose an open office.", "officeId")),
    );
    expect((await membershipOf("mo.member@northwind.example")).membership.officeId).toBeNull();
    expect(await officeEvents(mo.userId)).toHaveLength(2);
  });

  it("is not changed by a member, nor by an admin of another organisation", async () => {
    const mo = await membershipOf("mo.member@northwind.example");
    const london = await officeId("northwind", "London head office");
    const member = await as("mo.member@northwind.example", "northwind", "member");
    expect(await refusal(setMemberOffice(member, { membershipId: mo.membership.id, officeId: london }))).toEqual(
      whole(new DomainError("forbidden", "Your role in this organisation does not allow this.")),
    );
    const priya = await as("priya.admin@finvu.example", "finvu", "admin");
    expect(await refusal(setMemberOffice(priya, { membershipId: mo.membership.id, officeId: null }))).toEqual(
      whole(new DomainError("not_found", "There is no such member of your organisation.")),
    );
    expect((await membershipOf("mo.member@northwind.example")).membership.officeId).toBeNull();
  });

  it("can be chosen when inviting, from the open offices only", async () => {
    const london = await officeId("northwind", "London head office");
    await inviteUser(await alice(), { email: "olu.office@northwind.example", role: "member", officeId: london });
    const olu = await membershipOf("olu.office@northwind.example");
    expect(olu.membership.officeId).toBe(london);
    const [invited] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "user.invited"), eq(auditEvents.targetId, olu.userId)));
    expect(invited?.metadata).toEqual({ email: "olu.office@northwind.example", role: "member", office: "London head office" });
    const bristol = await officeId("northwind", "Bristol office");
    expect(await refusal(inviteUser(await alice(), { email: "bea.bristol@northwind.example", role: "member", officeId: bristol }))).toEqual(
      whole(new DomainError("conflict", "Bristol office is closed; reopen it on the Offices tab or choose an open office.", "officeId")),
    );
    expect(await findUserByEmail(handle.db, "bea.bristol@northwind.example")).toBeNull();
  });
});
