import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/components/audit-table";
import { AuditFilterForm } from "@/components/forms/audit/audit-filter-form";
import { auditFilterHref, auditSearchOf, isAuditFiltered, parseAuditFilter } from "@/lib/audit/audit-filter";
import { auditOptions } from "@/lib/audit/audit-options";
import { auditRowsOf } from "@/lib/audit/audit-rows";
import { searchPlatformAuditEvents } from "@/lib/audit/search-audit-events";
import { requireOperator } from "@/lib/auth/caller";
import { getDb } from "@/lib/data/database";
import { listOrganisations } from "@/lib/data/organisations";

export const metadata: Metadata = { title: "Audit log" };

/**
 * The platform operator's audit log across organisations (docs/domain.md, "The audit log"): the
 * same search as an organisation's tab, with an organisation filter; days are UTC days here.
 */
export default async function PlatformAuditLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const caller = await requireOperator();
  const db = await getDb();
  const params = await searchParams;
  const form = parseAuditFilter(params);
  const organisations = await listOrganisations(db);
  const slug = typeof params.organisation === "string" ? params.organisation : undefined;
  const chosen = organisations.find((o) => o.slug === slug);
  const page = await searchPlatformAuditEvents(
    {
      db,
      isOperator: caller.isOperator,
      actor: { type: "user", userId: caller.userId, label: caller.email ?? caller.userId },
      clock: () => new Date(),
    },
    { ...auditSearchOf(form, "UTC"), limit: 50, organisationId: chosen?.id },
  );
  const path = "/platform/audit-log";
  const filters = { ...form, cursor: undefined };
  const extra: Record<string, string> = chosen ? { organisation: chosen.slug } : {};
  const filtered = isAuditFiltered(form) || chosen !== undefined;
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
      <h1 className="text-2xl font-bold text-brand-900">Audit log</h1>
      <p className="text-sm text-slate-700">
        Every organisation&apos;s events and the platform&apos;s own, newest first. Days are UTC days.
      </p>
      <AuditFilterForm
        path={path}
        values={{ ...form, organisation: chosen?.slug }}
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
            <Link href={auditFilterHref(path, { ...filters, cursor: page.newerCursor }, extra)} className={link}>
              Newer events
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link href={auditFilterHref(path, { ...filters, cursor: page.nextCursor }, extra)} className={link}>
              Older events
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
