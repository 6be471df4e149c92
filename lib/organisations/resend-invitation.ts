import { auditActor, authorize, authorizeNow, type OrganisationContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { lockMembership } from "@/lib/data/memberships";
import { DomainError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { NO_SUCH_MEMBER } from "./change-role";
import { queueInvitation } from "./invitation-mail";
import type { MembershipInput } from "./schemas";

/** At most one invitation e-mail per membership in this long: a resend button is not a mail cannon. */
export const RESEND_INVITATION_INTERVAL_MS = 10 * 60_000;

/**
 * Sends the invitation e-mail again to someone who has not signed in yet; its admins (and the
 * CLI) may, once every 10 minutes per membership, checked under the membership's lock.
 */
export async function resendInvitation(ctx: OrganisationContext, input: MembershipInput): Promise<{ email: string }> {
  authorize(ctx, "organisation.manage");
  const organisationId = ctx.organisation.id;
  return ctx.db.transaction(async (tx) => {
    const found = await lockMembership(tx, organisationId, input.membershipId);
    if (!found) throw new DomainError("not_found", NO_SUCH_MEMBER);
    await authorizeNow(tx, ctx, "organisation.manage");
    const { membership, email, lastSignedInAt } = found;
    if (!email) throw new DomainError("conflict", "This person has no e-mail address to send an invitation to.");
    if (membership.status !== "active") throw new DomainError("conflict", `${email} is de-activated; re-activate them first.`);
    if (lastSignedInAt) throw new DomainError("conflict", `${email} has already signed in; there is no invitation to resend.`);
    const now = ctx.clock();
    const sent = membership.invitationSentAt;
    if (sent && now.getTime() - sent.getTime() < RESEND_INVITATION_INTERVAL_MS) {
      const next = new Date(sent.getTime() + RESEND_INVITATION_INTERVAL_MS);
      throw new DomainError(
        "conflict",
        `An invitation went to ${email} less than 10 minutes ago. You can send it again after ${formatDateTime(next, ctx.organisation.locale, ctx.organisation.timeZone)}.`,
      );
    }
    await queueInvitation(tx, ctx, { membershipId: membership.id, email, role: membership.role }, now);
    await recordEvent(tx, {
      organisationId,
      actor: auditActor(ctx.actor),
      action: "user.invitation_resent",
      target: { type: "user", id: membership.userId },
      metadata: { email },
    });
    return { email };
  });
}
