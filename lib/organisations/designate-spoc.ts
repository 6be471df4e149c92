import { auditActor, authorizeOperator, type PlatformContext } from "@/lib/context";
import { revokeMemberApiTokens } from "@/lib/data/api-tokens";
import { recordEvent } from "@/lib/data/audit";
import { grantMembership, lockOrganisationMemberships, makeSpoc, setMembershipRole } from "@/lib/data/memberships";
import { findOrganisationById } from "@/lib/data/organisations";
import { findOrCreateUser } from "@/lib/data/users";
import { DomainError } from "@/lib/errors";
import { queueInvitation } from "./invitation-mail";
import type { DesignateSpocInput } from "./schemas";

/**
 * The platform operator designates an organisation's SPOC (seed 001; docs/domain.md, "Who uses
 * it"): the current one, if any, becomes a member; the new one is an existing member whose role
 * changes, or a new person invited with that role (and e-mailed, like any invitee). One transaction, so the organisation never has
 * two, and never loses its last admin to the switch.
 */
export async function designateSpoc(ctx: PlatformContext, input: DesignateSpocInput): Promise<{ previous: string | null }> {
  authorizeOperator(ctx);
  const { organisationId, email } = input;
  return ctx.db.transaction(async (tx) => {
    const rows = await lockOrganisationMemberships(tx, organisationId);
    const now = ctx.clock();
    const target = rows.find((r) => r.email === email);
    const current = rows.find((r) => r.membership.role === "spoc" && r.membership.status === "active");
    if (current && current.email === email) throw new DomainError("conflict", `${email} is already the designated user.`, "email");
    if (
      target?.membership.role === "admin" &&
      rows.filter((r) => r.membership.role === "admin" && r.membership.status === "active").length <= 1
    ) {
      throw new DomainError("conflict", `${email} is the last active admin; make someone else an admin first.`, "email");
    }
    // The previous SPOC's tokens end with the role; so do the new one's from any earlier role.
    let apiTokensRevoked = 0;
    if (current) {
      await setMembershipRole(tx, current.membership.id, "member");
      apiTokensRevoked += await revokeMemberApiTokens(tx, current.membership.userId, organisationId, now);
    }
    if (target) {
      await makeSpoc(tx, target.membership.id);
      apiTokensRevoked += await revokeMemberApiTokens(tx, target.membership.userId, organisationId, now);
    } else {
      const organisation = await findOrganisationById(tx, organisationId);
      if (!organisation) throw new DomainError("not_found", "There is no such organisation.");
      const user = await findOrCreateUser(tx, { email }, now);
      const membership = await grantMembership(tx, organisationId, user.id, null, {
        role: "spoc",
        invitedBy: ctx.actor.userId,
        createdAt: now,
      });
      // Someone new to the organisation hears of it as an admin's invitee would (docs/domain.md,
      // "Who uses it"): the same e-mail, through the outbox, in this transaction.
      await queueInvitation(tx, { ...ctx, organisation, role: null }, { membershipId: membership.id, email, role: "spoc" }, now);
    }
    await recordEvent(tx, {
      organisationId,
      actor: auditActor(ctx.actor),
      action: "user.spoc_designated",
      target: { type: "membership", id: target?.membership.id ?? email },
      metadata: { email, previous: current?.email ?? null, apiTokensRevoked },
    });
    return { previous: current?.email ?? null };
  });
}
