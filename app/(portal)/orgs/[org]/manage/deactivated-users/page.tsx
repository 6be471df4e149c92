import type { Metadata } from "next";
import { DataTable } from "@/components/data-table";
import { PeopleSearchForm } from "@/components/forms/organisation/people-search-form";
import { SimpleAction } from "@/components/forms/simple-action";
import { NoPeopleMatch } from "@/components/no-people-match";
import { Pager } from "@/components/pager";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { getDb } from "@/lib/data/database";
import { PEOPLE_PAGE_SIZE, searchDeactivatedMembers } from "@/lib/data/memberships";
import { formatDate } from "@/lib/format";
import { isFiltered, parsePeopleSearch, peopleSearchHref } from "@/lib/people-filter";
import { reactivateAction } from "../actions";

export const metadata: Metadata = { title: "De-activated users" };

export default async function DeactivatedUsersPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { org } = await params;
  const { organisation, role } = await requireOrganisationAccess(org, "users.view");
  const manage = can(role, "organisation.manage");
  const search = parsePeopleSearch(await searchParams);
  const found = await searchDeactivatedMembers(await getDb(), organisation.id, search);
  const members = found.rows;
  const path = `/orgs/${organisation.slug}/manage/deactivated-users`;
  return (
    <section aria-labelledby="deactivated-heading" className="space-y-4">
      <h2 id="deactivated-heading" className="text-xl font-semibold">
        De-activated users
      </h2>
      <p className="text-slate-700">People who can no longer sign in. Their sessions and API tokens ended when they were de-activated.</p>
      <PeopleSearchForm
        formId="deactivated-search"
        path={path}
        q={search.q}
        role={search.role}
        roles={(["admin", "spoc", "member"] as const).map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        filtered={isFiltered(search)}
      />
      <DataTable
        caption={`De-activated users of ${organisation.name}`}
        empty={isFiltered(search) ? <NoPeopleMatch clearHref={path} /> : "Nobody has been de-activated."}
        rows={members}
        rowKey={(m) => m.membershipId}
        columns={[
          { header: "Name", rowHeader: true, cell: (m) => m.name ?? "—" },
          { header: "E-mail", cell: (m) => m.email ?? "—" },
          { header: "Former role", cell: (m) => ROLE_LABELS[m.role] },
          {
            header: "De-activated on",
            cell: (m) => formatDate(m.deactivatedAt, organisation.locale, organisation.timeZone),
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
      <Pager
        label="Pages of de-activated users"
        page={found.page}
        pageCount={found.pageCount}
        total={found.total}
        pageSize={PEOPLE_PAGE_SIZE}
        hrefFor={(n) => peopleSearchHref(path, search, n)}
      />
    </section>
  );
}
