import { auditActor, authorize, authorizeNow, type OrganisationContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { countActiveInRole, lockMembership, reactivateMembership } from "@/lib/data/memberships";
import { DomainError } from "@/lib/errors";
import { NO_SUCH_MEMBER } from "./change-role";
import type { MembershipInput } from "./schemas";

/** Brings back the membership only: the sessions and API tokens de-activation ended stay ended. */
export async function reactivateMember(ctx: OrganisationContext, input: MembershipInput): Promise<void> {
  authorize(ctx, "organisation.manage");
  const organisationId = ctx.organisation.id;
  await ctx.db.transaction(async (tx) => {
    const found = await lockMembership(tx, organisationId, input.membershipId);
    if (!found) throw new DomainError("not_found", NO_SUCH_MEMBER);
    await authorizeNow(tx, ctx, "organisation.manage");
    const { membership, email } = found;
    if (membership.status === "active") throw new DomainError("conflict", `${email} is already active.`);
    if (membership.role === "spoc" && (await countActiveInRole(tx, organisationId, "spoc")) > 0) {
      throw new DomainError(
        "conflict",
        `Your organisation already has a designated user (SPOC); ${email} would be a second. Change their role after re-activating, or change the current SPOC's role first.`,
      );
    }
    await reactivateMembership(tx, membership.id);
    await recordEvent(tx, {
      organisationId,
      actor: auditActor(ctx.actor),
      action: "user.reactivated",
      target: { type: "user", id: membership.userId },
      metadata: { email },
    });
  });
}
