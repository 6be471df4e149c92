import { authorizeOperator, type PlatformContext } from "@/lib/context";
import type { OrganisationDto } from "@/lib/data/organisations";
import { DomainError } from "@/lib/errors";
import { insertNewOrganisation } from "./create-organisation";
import { addMember } from "./invite-user";
import type { OnboardInput } from "./schemas";

/**
 * The platform operator's onboarding (issue 6): the organisation, its first admin and its
 * designated user in one transaction, or nothing.
 */
export async function onboardOrganisation(ctx: PlatformContext, input: OnboardInput): Promise<OrganisationDto> {
  authorizeOperator(ctx);
  if (input.spoc.email === input.admin.email) {
    throw new DomainError(
      "invalid",
      "The designated user must be a different person (or service account) from the first admin.",
      "spocEmail",
    );
  }
  return ctx.db.transaction(async (tx) => {
    const organisation = await insertNewOrganisation(tx, ctx, input.organisation);
    // The operator acts from outside the new organisation: no role in it, and the right to designate its SPOC.
    const inside = { ...ctx, organisation, role: null, isOperator: true };
    await addMember(tx, inside, { email: input.admin.email, name: input.admin.name, role: "admin" });
    await addMember(tx, inside, { email: input.spoc.email, name: input.spoc.name, role: "spoc" });
    return organisation;
  });
}
