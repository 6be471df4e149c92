import type { Metadata } from "next";
import { DataTable } from "@/components/data-table";
import { ConfirmedAction } from "@/components/forms/confirmed-action";
import { OfficeForm } from "@/components/forms/organisation/office-form";
import { SimpleAction } from "@/components/forms/simple-action";
import { StatusBadge } from "@/components/status-badge";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/data/database";
import { listOffices } from "@/lib/data/offices";
import { formatDate } from "@/lib/format";
import { addOfficeAction, closeOfficeAction, updateOfficeAction } from "../actions";

export const metadata: Metadata = { title: "Offices" };

export default async function OfficesPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organisation, role } = await requireOrganisationAccess(org, "offices.view");
  const manage = can(role, "organisation.manage");
  const offices = await listOffices(await getDb(), organisation.id);
  const dateOf = (d: Date) => formatDate(d, organisation.locale, organisation.timeZone);
  return (
    <section aria-labelledby="offices-heading" className="space-y-4">
      <h2 id="offices-heading" className="text-xl font-semibold">
        Offices
      </h2>
      {manage ? (
        <details className="rounded border border-slate-300">
          <summary className="cursor-pointer px-3 py-2 font-semibold text-brand-700">Add an office</summary>
          <div className="p-3">
            <OfficeForm action={addOfficeAction.bind(null, organisation.slug)} submitLabel="Add office" />
          </div>
        </details>
      ) : null}
      <DataTable
        caption={`Offices of ${organisation.name}`}
        empty="No offices yet. Offices your organisation adds appear here."
        rows={offices}
        rowKey={(o) => o.id}
        columns={[
          { header: "Office", rowHeader: true, cell: (o) => o.name },
          {
            header: "Address",
            cell: (o) => [o.addressLine1, o.addressLine2, o.town, o.postcode, o.country].filter(Boolean).join(", "),
          },
          { header: "Phone", cell: (o) => o.phone ?? "—" },
          {
            header: "Status",
            cell: (o) =>
              o.closedAt ? (
                <StatusBadge tone="muted">{`Closed ${dateOf(o.closedAt)}`}</StatusBadge>
              ) : (
                <StatusBadge tone="good">Open</StatusBadge>
              ),
          },
          ...(manage
            ? [
                {
                  header: "Actions",
                  cell: (o: (typeof offices)[number]) => (
                    <div className="space-y-2">
                      <details>
                        <summary className="cursor-pointer text-sm font-semibold text-brand-700">Edit</summary>
                        <div className="mt-2 min-w-72">
                          <OfficeForm
                            action={updateOfficeAction.bind(null, organisation.slug, o.id)}
                            office={o}
                            submitLabel="Save office"
                          />
                        </div>
                      </details>
                      {o.closedAt ? (
                        <SimpleAction action={closeOfficeAction.bind(null, organisation.slug, o.id, false)} label="Reopen" />
                      ) : (
                        <ConfirmedAction
                          action={closeOfficeAction.bind(null, organisation.slug, o.id, true)}
                          label="Close office"
                          confirmLabel="Yes, close it"
                          warning={`Close ${o.name}? It stays listed as closed; people keep their link to it.`}
                        />
                      )}
                    </div>
                  ),
                },
              ]
            : []),
        ]}
      />
    </section>
  );
}
