import type { ReactNode } from "react";
import { Tabs } from "@/components/tabs";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { can } from "@/lib/auth/permissions";

export default async function ManageLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organisation, role } = await requireOrganisationAccess(org, "organisation.view");
  const base = `/orgs/${organisation.slug}/manage`;
  const tabs = [
    { href: `${base}/offices`, label: "Offices", show: can(role, "offices.view") },
    { href: `${base}/active-users`, label: "Active users", show: can(role, "users.view") },
    { href: `${base}/deactivated-users`, label: "De-activated users", show: can(role, "users.view") },
    { href: `${base}/api`, label: "API", show: can(role, "api.view") },
    { href: `${base}/audit-log`, label: "Audit log", show: can(role, "audit.view") },
    { href: `${base}/webhooks`, label: "Webhooks", show: can(role, "webhooks.manage") },
  ].filter((t) => t.show);
  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm text-slate-700">Manage organisation</p>
        <h1 className="text-2xl font-bold text-brand-900">{organisation.name}</h1>
      </div>
      <Tabs label="Manage organisation" items={tabs} />
      <div className="rounded-b border border-t-0 border-slate-300 bg-white p-4 sm:p-6">{children}</div>
    </div>
  );
}
