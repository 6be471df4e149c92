import type { Metadata } from "next";
import { DataTable } from "@/components/data-table";
import { DeactivateMemberForm } from "@/components/forms/organisation/deactivate-member-form";
import { InviteUserForm } from "@/components/forms/organisation/invite-user-form";
import { MemberOfficeForm } from "@/components/forms/organisation/member-office-form";
import { PeopleSearchForm } from "@/components/forms/organisation/people-search-form";
import { RoleForm } from "@/components/forms/organisation/role-form";
import { SimpleAction } from "@/components/forms/simple-action";
import { NoPeopleMatch } from "@/components/no-people-match";
import { Pager } from "@/components/pager";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { getDb } from "@/lib/data/database";
import { listActiveMembers, PEOPLE_PAGE_SIZE, searchActiveMembers } from "@/lib/data/memberships";
import { listOffices } from "@/lib/data/offices";
import { getPlatformSettings } from "@/lib/data/platform";
import { formatDate, formatDateTime } from "@/lib/format";
import { type InvitationState, invitationState } from "@/lib/organisations/invitation-rule";
import { isFiltered, parsePeopleSearch, peopleSearchHref } from "@/lib/people-filter";
import { changeRoleAction, deactivateAction, inviteUserAction, resendInvitationAction, setOfficeAction } from "../actions";

export const metadata: Metadata = { title: "Active users" };

export default async function ActiveUsersPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { org } = await params;
  const { organisation, role, caller } = await requireOrganisationAccess(org, "users.view");
  const db = await getDb();
  const now = new Date();
  const search = parsePeopleSearch(await searchParams);
  const found = await searchActiveMembers(db, organisation.id, search);
  const members = found.rows;
  const manage = can(role, "organisation.manage");
  const mayDesignate = caller.isOperator || (await getPlatformSettings(db)).adminsMayDesignateSpoc;
  const path = `/orgs/${organisation.slug}/manage/active-users`;
  // Anyone active may take over as designated user, not only the people on this page.
  const everyone = manage && mayDesignate && members.some((m) => m.role === "spoc") ? await listActiveMembers(db, organisation.id) : [];
  const roles = (["admin", "spoc", "member"] as const)
    .filter((r) => r !== "spoc" || mayDesignate)
    .map((r) => ({ value: r, label: ROLE_LABELS[r] }));
  // People are placed in open offices only (lib/organisations/set-member-office.ts).
  const allOffices = manage ? await listOffices(db, organisation.id) : [];
  const openOffices = allOffices.filter((o) => o.closedAt === null).map((o) => ({ value: o.id, label: o.name }));
  const officesFor = (m: (typeof members)[number]) => {
    const closed = allOffices.find((o) => o.id === m.officeId && o.closedAt !== null);
    return closed ? [...openOffices, { value: closed.id, label: `${closed.name} (closed)` }] : openOffices;
  };
  const personOf = (m: (typeof members)[number]) => m.name ?? m.email ?? "this person";
  // Who could take over as designated user, offered on that person's row to whoever may designate.
  const successorsOf = (m: (typeof members)[number]) =>
    m.role === "spoc" && mayDesignate
      ? everyone
          .filter((o) => o.membershipId !== m.membershipId)
          .map((o) => ({ value: o.membershipId, label: `${personOf(o)} (${o.email})` }))
      : undefined;
  return (
    <section aria-labelledby="active-heading" className="space-y-4">
      <h2 id="active-heading" className="text-xl font-semibold">
        Active users
      </h2>
      {manage ? (
        <details className="rounded border border-slate-300">
          <summary className="cursor-pointer px-3 py-2 font-semibold text-brand-700">Invite a user</summary>
          <div className="space-y-2 p-3">
            {mayDesignate ? null : (
              <p className="text-sm text-slate-700">Your platform operator designates your organisation&apos;s designated user (SPOC).</p>
            )}
            <InviteUserForm action={inviteUserAction.bind(null, organisation.slug)} roles={roles} offices={openOffices} />
          </div>
        </details>
      ) : null}
      <PeopleSearchForm
        formId="active-search"
        path={path}
        q={search.q}
        role={search.role}
        roles={(["admin", "spoc", "member"] as const).map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        filtered={isFiltered(search)}
      />
      <DataTable
        caption={`Active users of ${organisation.name}`}
        empty={isFiltered(search) ? <NoPeopleMatch clearHref={path} /> : "No active users."}
        rows={members}
        rowKey={(m) => m.membershipId}
        columns={[
          { header: "Name", rowHeader: true, cell: (m) => m.name ?? "—" },
          { header: "E-mail", cell: (m) => m.email ?? "—" },
          {
            header: "Role",
            cell: (m) =>
              manage && m.userId !== caller.userId && (m.role !== "spoc" || mayDesignate) ? (
                <RoleForm
                  action={changeRoleAction.bind(null, organisation.slug, m.membershipId)}
                  current={m.role}
                  roles={
                    m.role === "spoc" ? [{ value: "spoc", label: ROLE_LABELS.spoc }, ...roles.filter((r) => r.value !== "spoc")] : roles
                  }
                  person={personOf(m)}
                  successors={successorsOf(m)}
                />
              ) : (
                ROLE_LABELS[m.role]
              ),
          },
          {
            header: "Office",
            cell: (m) =>
              manage ? (
                <MemberOfficeForm
                  action={setOfficeAction.bind(null, organisation.slug, m.membershipId)}
                  current={m.officeId}
                  offices={officesFor(m)}
                  person={personOf(m)}
                />
              ) : (
                (m.office ?? "—")
              ),
          },
          {
            header: "Last signed in",
            cell: (m) =>
              m.lastSignedInAt ? (
                <time dateTime={m.lastSignedInAt.toISOString()}>
                  {formatDateTime(m.lastSignedInAt, organisation.locale, organisation.timeZone)}
                </time>
              ) : (
                <div className="space-y-1">
                  <InvitationStatus
                    state={invitationState(m, now)}
                    date={(d) => formatDate(d, organisation.locale, organisation.timeZone)}
                  />
                  {manage ? (
                    <SimpleAction action={resendInvitationAction.bind(null, organisation.slug, m.membershipId)} label="Resend invitation" />
                  ) : null}
                </div>
              ),
          },
          {
            header: "Member since",
            cell: (m) => formatDate(m.joinedAt, organisation.locale, organisation.timeZone),
          },
          ...(manage
            ? [
                {
                  header: "Actions",
                  cell: (m: (typeof members)[number]) =>
                    m.userId === caller.userId ? (
                      <span className="text-sm text-slate-700">You</span>
                    ) : (
                      <DeactivateMemberForm
                        action={deactivateAction.bind(null, organisation.slug, m.membershipId)}
                        person={m.name ?? m.email ?? "this person"}
                        successors={successorsOf(m)}
                      />
                    ),
                },
              ]
            : []),
        ]}
      />
      <Pager
        label="Pages of active users"
        page={found.page}
        pageCount={found.pageCount}
        total={found.total}
        pageSize={PEOPLE_PAGE_SIZE}
        hrefFor={(n) => peopleSearchHref(path, search, n)}
      />
    </section>
  );
}

/** Pending until the invitation expires; after that the person cannot sign in until it is resent (lib/organisations/invitation-rule.ts). */
function InvitationStatus({ state, date }: { state: InvitationState; date: (d: Date) => string }) {
  if (state.state === "expired") {
    return <p className="font-semibold text-red-800">Invitation expired on {date(state.expiredAt)}: resend it so they can sign in</p>;
  }
  return (
    <p className="text-slate-700">
      Invited, not signed in yet{state.state === "pending" ? `; the invitation expires on ${date(state.expiresAt)}` : ""}
    </p>
  );
}
