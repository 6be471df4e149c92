import type { MembershipRole } from "@/db/schema";
import { can, type Permission } from "@/lib/auth/permissions";

/**
 * The organisation's pages and what each asks of the role (as the pages under
 * app/(portal)/orgs/[org]/ check it with requireOrganisationAccess), so the header's switcher can
 * lead to the same tab in another organisation where the person's role there allows it, and to
 * that organisation's Home otherwise (docs/domain.md, "Who uses it").
 */
export const ORGANISATION_TABS: Record<string, Permission> = {
  "": "organisation.view",
  "/manage": "offices.view",
  "/manage/offices": "offices.view",
  "/manage/active-users": "users.view",
  "/manage/deactivated-users": "users.view",
  "/manage/api": "api.view",
  "/dev-tools": "api.view",
};

export type OrganisationTab = keyof typeof ORGANISATION_TABS;

/** Where the person goes in the organisation for each tab they might switch from. */
export function switchTargets(slug: string, role: MembershipRole): Record<string, string> {
  const home = `/orgs/${slug}`;
  return Object.fromEntries(
    Object.entries(ORGANISATION_TABS).map(([tab, permission]) => [tab, can(role, permission) ? `${home}${tab}` : home]),
  );
}

/** The tab of the current address in the current organisation ("" for Home, or an unknown page). */
export function tabOf(pathname: string, currentSlug: string): string {
  const prefix = `/orgs/${currentSlug}`;
  if (!pathname.startsWith(prefix)) return "";
  const tab = pathname.slice(prefix.length).replace(/\/$/, "");
  return tab in ORGANISATION_TABS ? tab : "";
}
