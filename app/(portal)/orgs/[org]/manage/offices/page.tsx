import type { Metadata } from "next";
import { DataTable } from "@/components/data-table";
import { StatusBadge } from "@/components/status-badge";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { getDb } from "@/lib/data/database";
import { listOffices } from "@/lib/data/offices";
import { formatCalendarDate, toCalendarDate } from "@/lib/rotation/calendar";

export const metadata: Metadata = { title: "Offices" };

export default async function OfficesPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organisation } = await requireOrganisationAccess(org, "offices.view");
  const offices = await listOffices(await getDb(), organisation.id);
  const dateOf = (d: Date) => formatCalendarDate(toCalendarDate(d, organisation.timeZone), organisation.locale);
  return (
    <section aria-labelledby="offices-heading" className="space-y-4">
      <h2 id="offices-heading" className="text-xl font-semibold">
        Offices
      </h2>
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
        ]}
      />
    </section>
  );
}
