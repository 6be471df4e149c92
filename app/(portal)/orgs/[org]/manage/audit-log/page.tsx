import type { Metadata } from "next";
import Link from "next/link";
import { AuditExportLinks } from "@/components/audit-export-links";
import { type AuditRow, AuditTable } from "@/components/audit-table";
import { AuditFilterForm } from "@/components/forms/audit/audit-filter-form";
import { auditFilterHref, auditSearchOf, isAuditFiltered, parseAuditFilter } from "@/lib/audit/audit-filter";
import { auditOptions } from "@/lib/audit/audit-options";
import { auditRowsOf } from "@/lib/audit/audit-rows";
import { searchAuditEvents } from "@/lib/audit/search-audit-events";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { getDb } from "@/lib/data/database";

export const metadata: Metadata = { title: "Audit log" };

/**
 * The organisation's audit log (docs/domain.md, "The audit log"): for its admins and designated
 * user; the filters are GET parameters, so a filtered view is a link; exports carry the same ones.
 */
export default async function AuditLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { org } = await params;
  const { organisation, role, caller } = await requireOrganisationAccess(org, "audit.view");
  const db = await getDb();
  const form = parseAuditFilter(await searchParams);
  const page = await searchAuditEvents(
    {
      db,
      organisation,
      role,
      isOperator: caller.isOperator,
      actor: { type: "user", userId: caller.userId, label: caller.email ?? caller.userId },
      clock: () => new Date(),
    },
    { ...auditSearchOf(form, organisation.timeZone), limit: 50 },
  );
  const path = `/orgs/${organisation.slug}/manage/audit-log`;
  const filters = { ...form, cursor: undefined };
  const rows: AuditRow[] = auditRowsOf(page.events, organisation.locale, organisation.timeZone);
  const link = "rounded border border-brand-700 px-3 py-1 text-sm font-semibold text-brand-700 hover:bg-brand-50";
  const { actions, actorTypes, targetTypes } = auditOptions();
  return (
    <section aria-labelledby="audit-heading" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="audit-heading" className="text-xl font-semibold">
          Audit log
        </h2>
        <AuditExportLinks hrefOf={(format) => auditFilterHref(`${path}/export`, filters, { format })} />
      </div>
      <p className="text-sm text-slate-700">
        Every change to your organisation&apos;s credentials, settings and people, newest first. Exports hold every event matching the
        filters, not only this page. Days are in {organisation.timeZone}.
      </p>
      <AuditFilterForm
        path={path}
        values={form}
        actions={actions}
        actorTypes={actorTypes}
        targetTypes={targetTypes}
        filtered={isAuditFiltered(form)}
      />
      <AuditTable
        caption={`Audit log of ${organisation.name}`}
        rows={rows}
        empty={
          isAuditFiltered(form) ? (
            <p>
              No events match these filters.{" "}
              <Link href={path} className="font-semibold text-brand-700 underline">
                Clear the filters
              </Link>{" "}
              to see every event.
            </p>
          ) : (
            "No events yet. Changes to your organisation's credentials, settings and people appear here."
          )
        }
      />
      {page.newerCursor || page.nextCursor ? (
        <nav aria-label="Audit log pages" className="flex flex-wrap gap-3">
          {page.newerCursor ? (
            <Link href={auditFilterHref(path, { ...filters, cursor: page.newerCursor })} className={link}>
              Newer events
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link href={auditFilterHref(path, { ...filters, cursor: page.nextCursor })} className={link}>
              Older events
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
