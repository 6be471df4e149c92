import type { Executor } from "@/db/client";
import { auditActor, authorize, authorizeNow, type OrganisationContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { countActiveInRole, grantMembership, lockMembershipOfUser, type MembershipRow } from "@/lib/data/memberships";
import type { OrganisationDto } from "@/lib/data/organisations";
import { findOrCreateUser, type UserDto } from "@/lib/data/users";
import { DomainError } from "@/lib/errors";
import { queueInvitation } from "./invitation-mail";
import type { InviteUserInput } from "./schemas";
import { requireOpenOffice } from "./set-member-office";
import { mayDesignateSpoc } from "./spoc-rule";

export interface Invitation {
  organisation: OrganisationDto;
  user: UserDto;
  membership: MembershipRow;
}

/**
 * The invitation inside the caller's transaction, after its authorization, with its e-mail: onboarding invites the
 * first admin and designated user in the transaction that creates the organisation.
 */
export async function addMember(tx: Executor, ctx: OrganisationContext, input: InviteUserInput): Promise<Invitation> {
  const organisation = ctx.organisation;
  if (input.role === "spoc") await mayDesignateSpoc(tx, ctx);
  // Read once, after the caller's role was locked (authorizeNow): the person and membership share it.
  const now = ctx.clock();
  const user = await findOrCreateUser(tx, { email: input.email, name: input.name }, now);
  const existing = await lockMembershipOfUser(tx, organisation.id, user.id);
  if (existing?.status === "active")
    throw new DomainError("conflict", `${input.email} is already an active member of ${organisation.name}.`, "email");
  // Exactly one active designated user per organisation (docs/domain.md, "Who uses it").
  if (input.role === "spoc" && (await countActiveInRole(tx, organisation.id, "spoc")) > 0) {
    throw new DomainError(
      "conflict",
      `${organisation.name} already has a designated user (SPOC); de-activate them or change their role first.`,
      "role",
    );
  }
  const office = input.officeId ? await requireOpenOffice(tx, ctx, input.officeId) : null;
  const membership = await grantMembership(tx, organisation.id, user.id, existing?.id ?? null, {
    role: input.role,
    invitedBy: ctx.actor.userId,
    createdAt: now,
    ...(office ? { officeId: office.id } : {}),
  });
  // The e-mail commits with the membership, or neither does.
  await queueInvitation(tx, ctx, { membershipId: membership.id, email: input.email, role: input.role }, now);
  await recordEvent(tx, {
    organisationId: organisation.id,
    actor: auditActor(ctx.actor),
    action: "user.invited",
    target: { type: "user", id: user.id },
    metadata: { email: input.email, role: input.role, ...(office ? { office: office.name } : {}) },
  });
  return { organisation, user, membership };
}

/** Invites a person into the organisation with a role: its admins (and the CLI) may. */
export async function inviteUser(ctx: OrganisationContext, input: InviteUserInput): Promise<Invitation> {
  authorize(ctx, "organisation.manage");
  return ctx.db.transaction(async (tx) => {
    await authorizeNow(tx, ctx, "organisation.manage");
    return addMember(tx, ctx, input);
  });
}
