import type { Metadata } from "next";
import Link from "next/link";
import { AuditExportLinks } from "@/components/audit-export-links";
import { AuditTable } from "@/components/audit-table";
import { AuditFilterForm } from "@/components/forms/audit/audit-filter-form";
import { auditOptions } from "@/lib/audit/audit-options";
import { auditRowsOf } from "@/lib/audit/audit-rows";
import {
  isPlatformAuditFiltered,
  parsePlatformAuditFilter,
  platformAuditFilterHref,
  platformAuditSearchOf,
} from "@/lib/audit/platform-audit-filter";
import { searchPlatformAuditEvents } from "@/lib/audit/search-audit-events";
import { requireOperator } from "@/lib/auth/caller";
import { platformContextFor } from "@/lib/auth/organisation-context";
import { getDb } from "@/lib/data/database";
import { listOrganisations } from "@/lib/data/organisations";

export const metadata: Metadata = { title: "Audit log" };

/**
 * The platform operator's audit log across organisations (docs/domain.md, "The audit log"): the
 * same search as an organisation's tab, with an organisation filter; days are UTC days here. The
 * exports carry the same filters, the organisation among them.
 */
export default async function PlatformAuditLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const caller = await requireOperator();
  const db = await getDb();
  const chosen = await parsePlatformAuditFilter(db, await searchParams);
  const organisations = await listOrganisations(db);
  const page = await searchPlatformAuditEvents(await platformContextFor(caller), { ...platformAuditSearchOf(chosen), limit: 50 });
  const path = "/platform/audit-log";
  const filters = { ...chosen, form: { ...chosen.form, cursor: undefined } };
  const filtered = isPlatformAuditFiltered(chosen);
  const link = "rounded border border-brand-700 px-3 py-1 text-sm font-semibold text-brand-700 hover:bg-brand-50";
  const { actions, actorTypes, targetTypes } = auditOptions();
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/platform" className="text-brand-700 underline">
          Platform
        </Link>{" "}
        / Audit log
      </p>
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-bold text-brand-900">Audit log</h1>
        <AuditExportLinks hrefOf={(format) => platformAuditFilterHref(`${path}/export`, filters, { format })} />
      </div>
      <p className="text-sm text-slate-700">
        Every organisation&apos;s events and the platform&apos;s own, newest first. Exports hold every event matching the filters, not only
        this page, with each event&apos;s organisation. Days are UTC days.
      </p>
      <AuditFilterForm
        path={path}
        values={{ ...chosen.form, organisation: chosen.organisation?.slug }}
        organisations={organisations.map((o) => ({ value: o.slug, label: o.name }))}
        actions={actions}
        actorTypes={actorTypes}
        targetTypes={targetTypes}
        filtered={filtered}
      />
      <AuditTable
        caption="Audit log of every organisation"
        showOrganisation
        rows={auditRowsOf(page.events, "en-GB", "UTC")}
        empty={
          filtered ? (
            <p>
              No events match these filters.{" "}
              <Link href={path} className="font-semibold text-brand-700 underline">
                Clear the filters
              </Link>{" "}
              to see every event.
            </p>
          ) : (
            "No events yet."
          )
        }
      />
      {page.newerCursor || page.nextCursor ? (
        <nav aria-label="Audit log pages" className="flex flex-wrap gap-3">
          {page.newerCursor ? (
            <Link
              href={platformAuditFilterHref(path, { ...filters, form: { ...filters.form, cursor: page.newerCursor } })}
              className={link}
            >
              Newer events
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link href={platformAuditFilterHref(path, { ...filters, form: { ...filters.form, cursor: page.nextCursor } })} className={link}>
              Older events
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
