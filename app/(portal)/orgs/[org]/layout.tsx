import type { ReactNode } from "react";
import { PortalHeader } from "@/components/portal-header";
import { PrimaryNav } from "@/components/primary-nav";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/data/database";
import { getPlatformSettings } from "@/lib/data/platform";
import { switchTargets } from "@/lib/organisation-switch";
import { signOutAction } from "../../actions";

/** The shell of seed 000: header, then Home and Manage. Pages still authorize themselves. */
export default async function OrganisationLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { caller, organisation, role } = await requireOrganisationAccess(org, "organisation.view");
  const settings = await getPlatformSettings(await getDb());
  const base = `/orgs/${organisation.slug}`;
  return (
    <>
      <PortalHeader
        serviceName={settings.serviceName}
        userLabel={caller.name ?? caller.email ?? "you"}
        organisation={{ slug: organisation.slug, name: organisation.name, canSeeApi: can(role, "api.view") }}
        otherOrganisations={caller.organisations
          .filter((o) => o.slug !== organisation.slug)
          .map((o) => ({ name: o.name, slug: o.slug, targets: switchTargets(o.slug, o.role) }))}
        isOperator={caller.isOperator}
        signOutAction={signOutAction}
      />
      <PrimaryNav
        label="Main"
        items={[
          { href: base, label: "Home" },
          { href: `${base}/manage`, label: "Manage", prefix: `${base}/manage` },
        ]}
      />
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </>
  );
}
