import { auditActor, authorize, authorizeNow, type OrganisationContext } from "@/lib/context";
import { revokeMemberApiTokens } from "@/lib/data/api-tokens";
import { recordEvent } from "@/lib/data/audit";
import { countActiveInRole, deactivateMembership, lockMembership } from "@/lib/data/memberships";
import { DomainError } from "@/lib/errors";
import { NO_SUCH_MEMBER } from "./change-role";
import type { MembershipInput } from "./schemas";
import { checkSpocLeaving, handOverSpoc } from "./spoc-rule";

/**
 * De-activation ends the person's sessions and their API tokens for this organisation at once
 * (docs/security.md), and never takes the last active admin nor, silently, the only designated user.
 */
export async function deactivateMember(ctx: OrganisationContext, input: MembershipInput): Promise<void> {
  authorize(ctx, "organisation.manage");
  const organisationId = ctx.organisation.id;
  await ctx.db.transaction(async (tx) => {
    const found = await lockMembership(tx, organisationId, input.membershipId);
    if (!found) throw new DomainError("not_found", NO_SUCH_MEMBER);
    await authorizeNow(tx, ctx, "organisation.manage");
    const { membership, email } = found;
    if (membership.status === "deactivated") throw new DomainError("conflict", `${email} is already de-activated.`);
    if (membership.userId === ctx.actor.userId) throw new DomainError("conflict", "You cannot de-activate yourself; ask another admin.");
    if (membership.role === "admin" && (await countActiveInRole(tx, organisationId, "admin", membership.id)) === 0) {
      throw new DomainError("conflict", `${email} is the last active admin; make someone else an admin first.`);
    }
    const successor = await checkSpocLeaving(tx, ctx, found, input.successorMembershipId);
    const now = ctx.clock();
    await deactivateMembership(tx, membership, now, ctx.actor.userId);
    const apiTokensRevoked = await revokeMemberApiTokens(tx, membership.userId, organisationId, now);
    await recordEvent(tx, {
      organisationId,
      actor: auditActor(ctx.actor),
      action: "user.deactivated",
      target: { type: "user", id: membership.userId },
      metadata: { email, apiTokensRevoked },
    });
    if (successor) await handOverSpoc(tx, ctx, successor, email);
  });
}
