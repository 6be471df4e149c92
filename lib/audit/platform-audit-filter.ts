import type { Executor } from "@/db/client";
import { findOrganisationBySlug, type OrganisationDto } from "@/lib/data/organisations";
import { type AuditFilterForm, auditFilterHref, auditSearchOf, isAuditFiltered, parseAuditFilter } from "./audit-filter";

/**
 * Platform > Audit log's filters from the URL (docs/domain.md, "The audit log"): the organisation
 * tab's (audit-filter.ts) with days as UTC days, and `organisation` by slug. An organisation that
 * does not exist falls back to every organisation, as any bad value there falls back to no
 * filter, so the page and its exports read the same set from the same address.
 */
export interface PlatformAuditFilter {
  form: AuditFilterForm;
  organisation: OrganisationDto | undefined;
}

export async function parsePlatformAuditFilter(
  db: Executor,
  params: Record<string, string | string[] | undefined>,
): Promise<PlatformAuditFilter> {
  const slug = typeof params.organisation === "string" ? params.organisation : undefined;
  return { form: parseAuditFilter(params), organisation: (slug && (await findOrganisationBySlug(db, slug))) || undefined };
}

/** The use case's input: the tab's filters in UTC, and the organisation's id when one is chosen. */
export const platformAuditSearchOf = ({ form, organisation }: PlatformAuditFilter) => ({
  ...auditSearchOf(form, "UTC"),
  organisationId: organisation?.id,
});

/** The page's (or an export's) address for these filters, the organisation among them. */
export const platformAuditFilterHref = (path: string, { form, organisation }: PlatformAuditFilter, extra: Record<string, string> = {}) =>
  auditFilterHref(path, form, { ...(organisation ? { organisation: organisation.slug } : {}), ...extra });

export const isPlatformAuditFiltered = ({ form, organisation }: PlatformAuditFilter) => isAuditFiltered(form) || organisation !== undefined;
