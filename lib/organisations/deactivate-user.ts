import type { OrganisationContext } from "@/lib/context";
import { findMembershipIdByEmail } from "@/lib/data/memberships";
import { DomainError } from "@/lib/errors";
import { deactivateMember } from "./deactivate-member";

/** The CLI's de-activation by e-mail: finds the membership, then applies the one set of rules. */
export async function deactivateUser(ctx: OrganisationContext, input: { email: string }): Promise<void> {
  const email = input.email.trim().toLowerCase();
  const membershipId = await findMembershipIdByEmail(ctx.db, ctx.organisation.id, email);
  if (!membershipId) throw new DomainError("not_found", `${input.email} is not a member of ${ctx.organisation.name}.`, "email");
  await deactivateMember(ctx, { membershipId });
}
