import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { aMember, anOperator, anOrganisation, aPerson } from "@/db/testing/builders";
import { cliIn, personIn } from "@/db/testing/contexts";
import { createTestDatabase } from "@/db/testing/test-database";
import type { OrganisationDto } from "@/lib/data/organisations";
import { recordSignIn } from "@/lib/data/sessions";
import { deactivateMember } from "@/lib/organisations/deactivate-member";
import { inviteUser } from "@/lib/organisations/invite-user";
import { resendInvitation } from "@/lib/organisations/resend-invitation";
import { signInAllowed } from "./email-sign-in";

/*
 * Who may sign in (lib/auth/email-sign-in.ts): invited people with an active membership, while
 * their invitation stands if they never signed in (lib/organisations/invitation-rule.ts), and
 * platform operators. Every sign-in path asks this: the link request, the link's use, the provider.
 */
const DAY = 86_400_000;
const invitedAt = new Date("2026-11-01T09:00:00.000Z");
const at = (ms: number) => new Date(invitedAt.getTime() + ms);

let handle: DatabaseHandle;
let organisation: OrganisationDto;
beforeAll(async () => {
  handle = await createTestDatabase();
  organisation = await anOrganisation(handle.db);
});
afterAll(async () => handle?.close());

describe("an invited person may sign in while the invitation stands", () => {
  it("for 14 days after the invitation mail, and not from the instant it expires", async () => {
    await inviteUser(cliIn(handle.db, organisation, invitedAt), { email: "ivy@example.test", role: "member" });
    expect(await signInAllowed(handle.db, "ivy@example.test", invitedAt)).toBe(true);
    expect(await signInAllowed(handle.db, "ivy@example.test", at(14 * DAY - 1))).toBe(true);
    expect(await signInAllowed(handle.db, "ivy@example.test", at(14 * DAY))).toBe(false);
  });

  it("again for 14 days once an admin resends the invitation", async () => {
    const { membership } = await inviteUser(cliIn(handle.db, organisation, invitedAt), { email: "jon@example.test", role: "member" });
    expect(await signInAllowed(handle.db, "jon@example.test", at(20 * DAY))).toBe(false);
    const { user: admin } = await aMember(handle.db, organisation, { role: "admin" });
    const acting = personIn(handle.db, organisation, { userId: admin.id, label: admin.email ?? "", role: "admin" }, at(20 * DAY));
    await resendInvitation(acting, { membershipId: membership.id });
    expect(await signInAllowed(handle.db, "jon@example.test", at(20 * DAY))).toBe(true);
    expect(await signInAllowed(handle.db, "jon@example.test", at(34 * DAY - 1))).toBe(true);
    expect(await signInAllowed(handle.db, "jon@example.test", at(34 * DAY))).toBe(false);
  });

  it("for good once they have signed in", async () => {
    const { user: kim } = await inviteUser(cliIn(handle.db, organisation, invitedAt), { email: "kim@example.test", role: "member" });
    await recordSignIn(handle.db, kim.id, at(DAY));
    expect(await signInAllowed(handle.db, "kim@example.test", at(400 * DAY))).toBe(true);
  });

  it("when one of two organisations' invitations still stands", async () => {
    const other = await anOrganisation(handle.db);
    await inviteUser(cliIn(handle.db, organisation, invitedAt), { email: "lou@example.test", role: "member" });
    await inviteUser(cliIn(handle.db, other, at(10 * DAY)), { email: "lou@example.test", role: "member" });
    expect(await signInAllowed(handle.db, "lou@example.test", at(20 * DAY))).toBe(true);
    expect(await signInAllowed(handle.db, "lou@example.test", at(24 * DAY))).toBe(false);
  });
});

describe("everyone else", () => {
  it("a member added without an invitation mail (the demo seed) is not held to one", async () => {
    await aMember(handle.db, organisation, { email: "max@example.test", now: invitedAt });
    expect(await signInAllowed(handle.db, "max@example.test", at(400 * DAY))).toBe(true);
  });

  it("a de-activated person may not, even with a fresh invitation", async () => {
    const { membership } = await inviteUser(cliIn(handle.db, organisation, invitedAt), { email: "ned@example.test", role: "member" });
    await deactivateMember(cliIn(handle.db, organisation, invitedAt), { membershipId: membership.id });
    expect(await signInAllowed(handle.db, "ned@example.test", invitedAt)).toBe(false);
  });

  it("a platform operator may, without any membership; a person without one, or nobody at all, may not", async () => {
    await anOperator(handle.db, { email: "olga@example.test" });
    await aPerson(handle.db, { email: "pat@example.test" });
    expect(await signInAllowed(handle.db, "olga@example.test", invitedAt)).toBe(true);
    expect(await signInAllowed(handle.db, "pat@example.test", invitedAt)).toBe(false);
    expect(await signInAllowed(handle.db, "nobody@example.test", invitedAt)).toBe(false);
    expect(await signInAllowed(handle.db, null, invitedAt)).toBe(false);
  });
});
