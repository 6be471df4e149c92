import Link from "next/link";
import { Logo } from "./logo";
import { OrganisationSwitcher, type SwitchableOrganisation } from "./organisation-switcher";

export interface PortalHeaderProps {
  serviceName: string;
  userLabel: string;
  /** Present when the caller is inside an organisation. */
  organisation?: { slug: string; name: string; canSeeApi: boolean };
  /** The person's other active organisations; empty for someone in one organisation (no switcher then). */
  otherOrganisations?: SwitchableOrganisation[];
  isOperator: boolean;
  signOutAction: () => Promise<void>;
}

const linkClass = "rounded px-2 py-1 text-sm text-white underline-offset-4 hover:underline";

/** Seed 000's header: logo and service name, a primary action, then the account links. */
export function PortalHeader({
  serviceName,
  userLabel,
  organisation,
  otherOrganisations = [],
  isOperator,
  signOutAction,
}: PortalHeaderProps) {
  const home = organisation ? `/orgs/${organisation.slug}` : isOperator ? "/platform" : "/";
  return (
    <header className="bg-brand-900 text-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-3 px-4 py-3">
        <Link href={home} className="flex items-center gap-3 rounded text-white no-underline">
          <Logo />
          <span className="text-lg font-bold leading-tight">
            {serviceName}
            <span className="block text-xs font-normal text-slate-200">API credentials portal</span>
          </span>
        </Link>
        {organisation?.canSeeApi ? (
          <Link
            href={`/orgs/${organisation.slug}/manage/api`}
            className="rounded bg-accent-500 px-4 py-2 text-sm font-bold text-brand-900 hover:bg-accent-600"
          >
            API details
          </Link>
        ) : null}
        <nav aria-label="Account" className="ml-auto flex flex-wrap items-center gap-x-2">
          {organisation?.canSeeApi ? (
            <Link className={linkClass} href={`/orgs/${organisation.slug}/dev-tools`}>
              Dev Tools
            </Link>
          ) : null}
          <Link className={linkClass} href="/account">
            Account Management
          </Link>
          {organisation ? (
            <Link className={linkClass} href={`/orgs/${organisation.slug}/manage`}>
              Manage Organisation
            </Link>
          ) : null}
          {isOperator ? (
            <Link className={linkClass} href="/platform">
              Platform
            </Link>
          ) : null}
          <form action={signOutAction}>
            <button type="submit" className={`${linkClass} cursor-pointer`}>
              Logout
            </button>
          </form>
        </nav>
        {organisation && otherOrganisations.length > 0 ? <OrganisationSwitcher current={organisation} others={otherOrganisations} /> : null}
        <p className="ml-auto w-full text-right text-xs text-slate-300 sm:w-auto">
          Signed in as <span className="font-semibold text-white">{userLabel}</span>
        </p>
      </div>
    </header>
  );
}
