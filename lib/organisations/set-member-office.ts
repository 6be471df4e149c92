import type { Executor } from "@/db/client";
import { auditActor, authorize, authorizeNow, type OrganisationContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { lockMembership, type MembershipRow, setMembershipOffice } from "@/lib/data/memberships";
import { lockOfficeOf, type OfficeDto } from "@/lib/data/offices";
import { DomainError } from "@/lib/errors";
import { NO_SUCH_MEMBER } from "./change-role";
import type { SetMemberOfficeInput } from "./schemas";
import { NO_SUCH_OFFICE } from "./update-office";

/**
 * The office a person may be placed in (docs/domain.md, "Who uses it"): one of this organisation's,
 * and open. Locked until the caller's transaction ends, so it cannot close in between.
 */
export async function requireOpenOffice(tx: Executor, ctx: OrganisationContext, officeId: string): Promise<OfficeDto> {
  const office = await lockOfficeOf(tx, ctx.organisation.id, officeId);
  if (!office) throw new DomainError("not_found", NO_SUCH_OFFICE, "officeId");
  if (office.closedAt) {
    throw new DomainError("conflict", `${office.name} is closed; reopen it on the Offices tab or choose an open office.`, "officeId");
  }
  return office;
}

/** Sets or clears the office of an active member, audited in the same transaction. */
export async function setMemberOffice(ctx: OrganisationContext, input: SetMemberOfficeInput): Promise<MembershipRow> {
  authorize(ctx, "organisation.manage");
  return ctx.db.transaction(async (tx) => {
    const found = await lockMembership(tx, ctx.organisation.id, input.membershipId);
    if (!found) throw new DomainError("not_found", NO_SUCH_MEMBER);
    await authorizeNow(tx, ctx, "organisation.manage");
    const { membership, email } = found;
    if (membership.status !== "active") throw new DomainError("conflict", "Re-activate this person before changing their office.");
    // Saving the form unchanged is no change, even when their office has closed since.
    if (membership.officeId === input.officeId) return membership;
    const to = input.officeId === null ? null : await requireOpenOffice(tx, ctx, input.officeId);
    const from = membership.officeId === null ? null : await lockOfficeOf(tx, ctx.organisation.id, membership.officeId);
    const updated = await setMembershipOffice(tx, membership.id, to?.id ?? null);
    await recordEvent(tx, {
      organisationId: ctx.organisation.id,
      actor: auditActor(ctx.actor),
      action: "user.office_changed",
      target: { type: "user", id: membership.userId },
      metadata: { email, from: from?.name ?? null, to: to?.name ?? null },
    });
    return updated;
  });
}
