import type { ReactNode } from "react";
import { PortalHeader } from "@/components/portal-header";
import { PrimaryNav } from "@/components/primary-nav";
import { requireCaller } from "@/lib/auth/caller";
import { getDb } from "@/lib/data/database";
import { getPlatformSettings } from "@/lib/data/platform";
import { signOutAction } from "../actions";

/** Pages that belong to the person rather than to one organisation: Account Management, Platform. */
export default async function PersonalLayout({ children }: { children: ReactNode }) {
  const caller = await requireCaller();
  const settings = await getPlatformSettings(await getDb());
  const items = [
    ...caller.organisations.map((o) => ({ href: `/orgs/${o.slug}`, label: o.name })),
    ...(caller.isOperator ? [{ href: "/platform", label: "Platform" }] : []),
    { href: "/account", label: "Account" },
  ];
  return (
    <>
      <PortalHeader
        serviceName={settings.serviceName}
        userLabel={caller.name ?? caller.email ?? "you"}
        isOperator={caller.isOperator}
        signOutAction={signOutAction}
      />
      <PrimaryNav label="Main" items={items} />
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </>
  );
}
