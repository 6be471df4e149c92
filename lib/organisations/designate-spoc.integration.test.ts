import { randomBytes } from "node:crypto";
import { and, arrayContains, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { emailOutbox, memberships } from "@/db/schema";
import { seedDemoData } from "@/db/seed";
import { cliPlatform, personIn, personOnPlatform } from "@/db/testing/contexts";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { findOrganisationBySlug } from "@/lib/data/organisations";
import { findUserByEmail } from "@/lib/data/users";
import { designateSpoc } from "./designate-spoc";
import { inviteUser } from "./invite-user";

const now = new Date();
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db, { now, keyRing: parseKeyRing(`t:${randomBytes(32).toString("base64")}`) });
});
afterAll(async () => handle?.close());

const mailTo = (email: string) =>
  handle.db
    .select({
      organisationId: emailOutbox.organisationId,
      kind: emailOutbox.kind,
      toAddresses: emailOutbox.toAddresses,
      subject: emailOutbox.subject,
      template: emailOutbox.template,
      data: emailOutbox.data,
      status: emailOutbox.status,
      nextAttemptAt: emailOutbox.nextAttemptAt,
      createdAt: emailOutbox.createdAt,
    })
    .from(emailOutbox)
    .where(arrayContains(emailOutbox.toAddresses, [email]));
async function invitationSentAt(email: string, organisationId: string) {
  const u = await findUserByEmail(handle.db, email);
  const [m] = await handle.db
    .select({ invitationSentAt: memberships.invitationSentAt })
    .from(memberships)
    .where(and(eq(memberships.organisationId, organisationId), eq(memberships.userId, u!.id)));
  return m?.invitationSentAt;
}

describe("the platform operator designating a brand-new designated user (SPOC)", () => {
  it("queues the same invitation e-mail an admin's invitation does, in the same transaction", async () => {
    const contoso = (await findOrganisationBySlug(handle.db, "contoso"))!;
    const olivia = await findUserByEmail(handle.db, "operator@rotor.example");
    const operator = personOnPlatform(handle.db, { userId: olivia!.id, label: "operator@rotor.example", isOperator: true }, now);
    await designateSpoc(operator, { organisationId: contoso.id, email: "dana.spoc@contoso.example" });

    // What Contoso's admin's invitation of a designated user would queue, from the same template.
    const ravi = await findUserByEmail(handle.db, "ravi.patel@contoso.example");
    const admin = personIn(handle.db, contoso, { userId: ravi!.id, label: "ravi.patel@contoso.example", role: "admin" }, now);
    await inviteUser(admin, { email: "mo.member@northwind.example", role: "member" });
    const invitation = (to: string, inviter: string, role: string) => ({
      organisationId: contoso.id,
      kind: "invitation",
      toAddresses: [to],
      subject: `${inviter} invited you to Contoso Health on Claims Exchange`,
      template: "invitation",
      data: { service: "Claims Exchange", organisation: "Contoso Health", inviter, role },
      status: "pending",
      nextAttemptAt: now,
      createdAt: now,
    });
    expect(await mailTo("mo.member@northwind.example")).toEqual([invitation("mo.member@northwind.example", "Ravi Patel", "Member")]);

    expect(await mailTo("dana.spoc@contoso.example")).toEqual([
      invitation("dana.spoc@contoso.example", "Olivia Operator", "Designated user (SPOC)"),
    ]);
    // The resend on the Active users tab waits from this e-mail, as after any invitation.
    expect(await invitationSentAt("dana.spoc@contoso.example", contoso.id)).toEqual(now);
  });

  it("from the CLI, names the platform operator as the inviter", async () => {
    const finvu = (await findOrganisationBySlug(handle.db, "finvu"))!;
    await designateSpoc(cliPlatform(handle.db, now), { organisationId: finvu.id, email: "new-rotation@finvu.example" });
    const [mail] = await mailTo("new-rotation@finvu.example");
    expect(mail?.subject).toBe("The platform operator invited you to Finvu Data Services on Claims Exchange");
    expect(mail?.data).toEqual({
      service: "Claims Exchange",
      organisation: "Finvu Data Services",
      inviter: "The platform operator",
      role: "Designated user (SPOC)",
    });
  });

  it("e-mails nobody when the new designated user is already a member", async () => {
    const finvu = (await findOrganisationBySlug(handle.db, "finvu"))!;
    const before = await mailTo("arjun.member@finvu.example");
    await designateSpoc(cliPlatform(handle.db, now), { organisationId: finvu.id, email: "arjun.member@finvu.example" });
    expect(await mailTo("arjun.member@finvu.example")).toEqual(before);
  });
});
