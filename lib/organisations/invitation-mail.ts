import type { Executor } from "@/db/client";
import type { MembershipRole } from "@/db/schema";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import type { OrganisationContext } from "@/lib/context";
import { markInvitationSent } from "@/lib/data/memberships";
import { enqueueMessage } from "@/lib/data/outbox";
import { getPlatformSettings } from "@/lib/data/platform";
import { findUserById } from "@/lib/data/users";
import type { InvitationData } from "@/lib/email/render";

/**
 * Queues the invitation e-mail in the caller's transaction, with the membership it announces: who
 * invited the person to which organisation in which role. It holds names only; the sign-in address
 * is the deployment's configured one, added when the mail is rendered (lib/email/render.ts).
 */
export async function queueInvitation(
  tx: Executor,
  ctx: OrganisationContext,
  invited: { membershipId: string; email: string; role: MembershipRole },
  now: Date,
): Promise<void> {
  const { serviceName } = await getPlatformSettings(tx);
  const inviter =
    ctx.actor.type === "user" || ctx.actor.type === "api_token"
      ? ((ctx.actor.userId ? (await findUserById(tx, ctx.actor.userId))?.name : null) ?? ctx.actor.label)
      : "The platform operator";
  const data: InvitationData = { service: serviceName, organisation: ctx.organisation.name, inviter, role: ROLE_LABELS[invited.role] };
  await enqueueMessage(tx, {
    organisationId: ctx.organisation.id,
    kind: "invitation",
    toAddresses: [invited.email],
    subject: `${inviter} invited you to ${ctx.organisation.name} on ${serviceName}`,
    template: "invitation",
    data: { ...data },
    createdAt: now,
    nextAttemptAt: now,
  });
  await markInvitationSent(tx, invited.membershipId, now);
}
