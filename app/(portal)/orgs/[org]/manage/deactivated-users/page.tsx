import type { Metadata } from "next";
import { DataTable } from "@/components/data-table";
import { SimpleAction } from "@/components/forms/simple-action";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { getDb } from "@/lib/data/database";
import { listDeactivatedMembers } from "@/lib/data/memberships";
import { formatCalendarDate, toCalendarDate } from "@/lib/rotation/calendar";
import { reactivateAction } from "../actions";

export const metadata: Metadata = { title: "De-activated users" };

export default async function DeactivatedUsersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organisation, role } = await requireOrganisationAccess(org, "users.view");
  const manage = can(role, "organisation.manage");
  const members = await listDeactivatedMembers(await getDb(), organisation.id);
  return (
    <section aria-labelledby="deactivated-heading" className="space-y-4">
      <h2 id="deactivated-heading" className="text-xl font-semibold">
        De-activated users
      </h2>
      <p className="text-slate-700">People who can no longer sign in. Their sessions and API tokens ended when they were de-activated.</p>
      <DataTable
        caption={`De-activated users of ${organisation.name}`}
        empty="Nobody has been de-activated."
        rows={members}
        rowKey={(m) => m.membershipId}
        columns={[
          { header: "Name", rowHeader: true, cell: (m) => m.name ?? "—" },
          { header: "E-mail", cell: (m) => m.email ?? "—" },
          { header: "Former role", cell: (m) => ROLE_LABELS[m.role] },
          {
            header: "De-activated on",
            cell: (m) => formatCalendarDate(toCalendarDate(m.deactivatedAt, organisation.timeZone), organisation.locale),
          },
          { header: "De-activated by", cell: (m) => m.deactivatedBy ?? "—" },
          ...(manage
            ? [
                {
                  header: "Actions",
                  cell: (m: (typeof members)[number]) => (
                    <SimpleAction action={reactivateAction.bind(null, organisation.slug, m.membershipId)} label="Re-activate" />
                  ),
                },
              ]
            : []),
        ]}
      />
    </section>
  );
}
