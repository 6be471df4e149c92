import type { Executor } from "@/db/client";
import { findOrganisationBySlug, type OrganisationDto } from "@/lib/data/organisations";
import { DomainError } from "@/lib/errors";

/** The organisation an edge names by slug (the CLI's --org), or a refusal naming the slug. */
export async function findOrganisationOrFail(db: Executor, slug: string): Promise<OrganisationDto> {
  const organisation = await findOrganisationBySlug(db, slug);
  if (!organisation) throw new DomainError("not_found", `There is no organisation "${slug}".`, "org");
  return organisation;
}
