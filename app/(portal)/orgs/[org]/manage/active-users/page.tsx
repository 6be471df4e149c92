import type { Metadata } from "next";
import { DataTable } from "@/components/data-table";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { getDb } from "@/lib/data/database";
import { listActiveMembers } from "@/lib/data/memberships";
import { formatCalendarDate, toCalendarDate } from "@/lib/rotation/calendar";

export const metadata: Metadata = { title: "Active users" };

export default async function ActiveUsersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organisation } = await requireOrganisationAccess(org, "users.view");
  const members = await listActiveMembers(await getDb(), organisation.id);
  return (
    <section aria-labelledby="active-heading" className="space-y-4">
      <h2 id="active-heading" className="text-xl font-semibold">
        Active users
      </h2>
      <DataTable
        caption={`Active users of ${organisation.name}`}
        empty="No active users."
        rows={members}
        rowKey={(m) => m.membershipId}
        columns={[
          { header: "Name", rowHeader: true, cell: (m) => m.name ?? "—" },
          { header: "E-mail", cell: (m) => m.email ?? "—" },
          { header: "Role", cell: (m) => ROLE_LABELS[m.role] },
          { header: "Office", cell: (m) => m.office ?? "—" },
          {
            header: "Member since",
            cell: (m) => formatCalendarDate(toCalendarDate(m.joinedAt, organisation.timeZone), organisation.locale),
          },
        ]}
      />
    </section>
  );
}
