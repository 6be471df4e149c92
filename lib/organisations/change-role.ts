import { auditActor, authorize, authorizeNow, type OrganisationContext } from "@/lib/context";
import { revokeMemberApiTokens } from "@/lib/data/api-tokens";
import { recordEvent } from "@/lib/data/audit";
import { countActiveInRole, lockMembership, type MembershipRow, setMembershipRole } from "@/lib/data/memberships";
import { DomainError } from "@/lib/errors";
import type { ChangeRoleInput } from "./schemas";
import { checkSpocLeaving, handOverSpoc, mayDesignateSpoc } from "./spoc-rule";

export const NO_SUCH_MEMBER = "There is no such member of your organisation.";

/**
 * A member's new role (docs/domain.md, "Who uses it"): never leaves the organisation without an
 * active admin, never makes a second designated user nor silently loses the only one, and ends the member's API tokens, which
 * carry the role they were made with.
 */
export async function changeRole(ctx: OrganisationContext, input: ChangeRoleInput): Promise<MembershipRow> {
  authorize(ctx, "organisation.manage");
  const organisationId = ctx.organisation.id;
  return ctx.db.transaction(async (tx) => {
    const found = await lockMembership(tx, organisationId, input.membershipId);
    if (!found) throw new DomainError("not_found", NO_SUCH_MEMBER);
    await authorizeNow(tx, ctx, "organisation.manage");
    const { membership, email } = found;
    const role = input.role;
    if (membership.status !== "active") throw new DomainError("conflict", "Re-activate this person before changing their role.");
    if (membership.role === role) return membership;
    if (role === "spoc" || membership.role === "spoc") await mayDesignateSpoc(tx, ctx);
    if (membership.role === "admin" && (await countActiveInRole(tx, organisationId, "admin", membership.id)) === 0) {
      throw new DomainError("conflict", `${email} is the last active admin; make someone else an admin first.`, "role");
    }
    if (role === "spoc" && (await countActiveInRole(tx, organisationId, "spoc", membership.id)) > 0) {
      throw new DomainError("conflict", "Your organisation already has a designated user (SPOC); change their role first.", "role");
    }
    const successor = await checkSpocLeaving(tx, ctx, found, input.successorMembershipId);
    const updated = await setMembershipRole(tx, membership.id, role);
    // A token carries its owner's current role, no more: a new role starts with none.
    const apiTokensRevoked = await revokeMemberApiTokens(tx, membership.userId, organisationId, ctx.clock());
    await recordEvent(tx, {
      organisationId,
      actor: auditActor(ctx.actor),
      action: "user.role_changed",
      target: { type: "user", id: membership.userId },
      metadata: { email, from: membership.role, to: role, apiTokensRevoked },
    });
    if (successor) await handOverSpoc(tx, ctx, successor, email);
    return updated;
  });
}
