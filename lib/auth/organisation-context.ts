import type { OrganisationContext, PlatformContext } from "@/lib/context";
import { getDb } from "@/lib/data/database";
import { actorFor } from "./actor";
import type { Caller, OrganisationAccess } from "./caller";

/** The context a signed-in person's server action hands to an organisation use case. */
export async function organisationContextFor(access: OrganisationAccess): Promise<OrganisationContext> {
  return { ...(await platformContextFor(access.caller)), organisation: access.organisation, role: access.role };
}

/** The context a signed-in person's server action hands to a platform use case. */
export async function platformContextFor(caller: Caller): Promise<PlatformContext> {
  return { db: await getDb(), actor: await actorFor(caller), isOperator: caller.isOperator, clock: () => new Date() };
}

/** The platform operator acting inside one organisation (its clients), with no role there. */
export async function operatorContextIn(caller: Caller, organisation: OrganisationContext["organisation"]): Promise<OrganisationContext> {
  return { ...(await platformContextFor(caller)), organisation, role: null };
}
