import type { Executor } from "@/db/client";
import { auditActor, type OrganisationContext, type PlatformContext } from "@/lib/context";
import { revokeMemberApiTokens } from "@/lib/data/api-tokens";
import { recordEvent } from "@/lib/data/audit";
import { countActiveInRole, lockMembership, type MembershipRow, setMembershipRole } from "@/lib/data/memberships";
import { getPlatformSettings } from "@/lib/data/platform";
import { DomainError } from "@/lib/errors";

/**
 * Who may make someone the designated user (docs/domain.md, "Who uses it"): the platform operator
 * (and the CLI, which acts as one), or an organisation admin where the platform allows it. The
 * operator flag comes from the edge's look-up in the database, never from the request.
 */
export async function mayDesignateSpoc(tx: Executor, ctx: PlatformContext): Promise<void> {
  if (ctx.isOperator || ctx.actor.type === "cli" || ctx.actor.type === "system") return;
  if (!(await getPlatformSettings(tx)).adminsMayDesignateSpoc) {
    throw new DomainError("forbidden", "Only the platform operator designates your organisation's designated user (SPOC).", "role");
  }
}

type LockedMember = { membership: MembershipRow; email: string | null };

/**
 * The organisation's only active designated user is never lost silently (issue 12): without one
 * nobody can rotate its secrets. An admin who de-activates or demotes them names the new one in the
 * same step (where the platform lets admins designate) or asks the platform operator first. The
 * operator and the CLI may leave the organisation without one on purpose; the Home page and the API
 * tab then say so. Runs under the leaving person's membership lock; returns the successor, locked,
 * for `handOverSpoc` once the leaving person's row has changed (one active SPOC at a time).
 */
export async function checkSpocLeaving(
  tx: Executor,
  ctx: OrganisationContext,
  leaving: LockedMember,
  successorMembershipId: string | undefined,
): Promise<LockedMember | null> {
  const organisationId = ctx.organisation.id;
  const isActiveSpoc = leaving.membership.role === "spoc" && leaving.membership.status === "active";
  if (successorMembershipId === undefined) {
    if (!isActiveSpoc || ctx.isOperator || ctx.actor.type === "cli" || ctx.actor.type === "system") return null;
    if ((await countActiveInRole(tx, organisationId, "spoc", leaving.membership.id)) > 0) return null;
    const { adminsMayDesignateSpoc } = await getPlatformSettings(tx);
    const what = adminsMayDesignateSpoc
      ? "Name a new designated user in the same step, or ask the platform operator to designate one first."
      : "Ask the platform operator to designate a new designated user first.";
    throw new DomainError(
      "conflict",
      `${leaving.email ?? "This person"} is ${ctx.organisation.name}'s only designated user (SPOC); without one nobody can rotate secrets. ${what}`,
      "successorMembershipId",
    );
  }
  if (!isActiveSpoc) {
    throw new DomainError("invalid", "Only the designated user's own change names a new designated user.", "successorMembershipId");
  }
  await mayDesignateSpoc(tx, ctx);
  if (successorMembershipId === leaving.membership.id) {
    throw new DomainError("invalid", "Choose someone else as the new designated user.", "successorMembershipId");
  }
  const successor = await lockMembership(tx, organisationId, successorMembershipId);
  if (!successor) throw new DomainError("not_found", "There is no such member of your organisation.", "successorMembershipId");
  if (successor.membership.status !== "active") {
    throw new DomainError("conflict", `${successor.email} is de-activated; re-activate them first.`, "successorMembershipId");
  }
  if (successor.membership.role === "admin" && (await countActiveInRole(tx, organisationId, "admin", successor.membership.id)) === 0) {
    throw new DomainError(
      "conflict",
      `${successor.email} is the last active admin; make someone else an admin first.`,
      "successorMembershipId",
    );
  }
  return successor;
}

/** Makes the successor the designated user, after the previous one's row changed; ends their tokens of the old role. */
export async function handOverSpoc(
  tx: Executor,
  ctx: OrganisationContext,
  successor: LockedMember,
  previous: string | null,
): Promise<void> {
  await setMembershipRole(tx, successor.membership.id, "spoc");
  const apiTokensRevoked = await revokeMemberApiTokens(tx, successor.membership.userId, ctx.organisation.id, ctx.clock());
  await recordEvent(tx, {
    organisationId: ctx.organisation.id,
    actor: auditActor(ctx.actor),
    action: "user.spoc_designated",
    target: { type: "membership", id: successor.membership.id },
    metadata: { email: successor.email ?? "", previous, apiTokensRevoked },
  });
}
