import type { Executor } from "@/db/client";
import { auditActor, authorizeOperator, type PlatformContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { insertOrganisation, type OrganisationDto } from "@/lib/data/organisations";
import { getPlatformSettings } from "@/lib/data/platform";
import { DomainError, isUniqueViolation } from "@/lib/errors";
import type { CreateOrganisationInput } from "./schemas";

function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "organisation"
  );
}

/**
 * The organisation and its audit event, inside the caller's transaction; onboarding adds its first
 * people in the same one. The caller has authorized the operator.
 */
export async function insertNewOrganisation(tx: Executor, ctx: PlatformContext, input: CreateOrganisationInput): Promise<OrganisationDto> {
  const limits = await getPlatformSettings(tx);
  if (input.policy.validityDays > limits.maxValidityDays) {
    throw new DomainError("invalid", `The platform allows at most ${limits.maxValidityDays} days of validity.`, "validityDays");
  }
  const slug = input.slug ?? slugify(input.name);
  try {
    // A savepoint: a taken slug is this step's refusal, not the end of the caller's transaction.
    return await tx.transaction(async (sp) => {
      const organisation = await insertOrganisation(sp, {
        slug,
        name: input.name,
        timeZone: input.timeZone,
        locale: input.locale,
        validityDays: input.policy.validityDays,
        overlapDays: input.policy.overlapDays,
        reminderOffsets: input.policy.reminderOffsets,
        autoIssue: input.policy.autoIssue,
        secretRevealPolicy: input.policy.secretRevealPolicy,
        createdAt: ctx.clock(),
      });
      await recordEvent(sp, {
        organisationId: organisation.id,
        actor: auditActor(ctx.actor),
        action: "organisation.created",
        target: { type: "organisation", id: organisation.id },
        metadata: { slug, name: input.name },
      });
      return organisation;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DomainError("conflict", `An organisation with the slug "${slug}" already exists; choose another slug.`, "slug");
    throw error;
  }
}

/** Onboarding an organisation is the platform operator's (docs/domain.md, "Who uses it"). */
export async function createOrganisation(ctx: PlatformContext, input: CreateOrganisationInput): Promise<OrganisationDto> {
  authorizeOperator(ctx);
  return ctx.db.transaction((tx) => insertNewOrganisation(tx, ctx, input));
}
