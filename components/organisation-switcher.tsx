"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { tabOf } from "@/lib/organisation-switch";

export interface SwitchableOrganisation {
  name: string;
  slug: string;
  /** Where each tab leads in this organisation for the person's role there (lib/organisation-switch.ts). */
  targets: Record<string, string>;
}

/**
 * For a person in several organisations: a native disclosure of links to the others, each to the
 * tab they are on now where their role there allows it, else its Home. Works without JavaScript,
 * by keyboard, and reads as a list of links to a screen reader.
 */
export function OrganisationSwitcher({ current, others }: { current: { name: string; slug: string }; others: SwitchableOrganisation[] }) {
  const tab = tabOf(usePathname(), current.slug);
  return (
    <details className="relative text-sm">
      <summary className="cursor-pointer rounded px-2 py-1 text-white underline-offset-4 hover:underline">
        Switch organisation<span className="sr-only"> (now {current.name})</span>
      </summary>
      <ul className="absolute left-0 z-10 mt-1 w-64 max-w-[80vw] space-y-1 rounded border border-slate-300 bg-white p-2 text-brand-900 shadow-lg sm:right-0 sm:left-auto">
        <li className="px-2 py-1 text-slate-700">
          {current.name} <span className="text-xs">(current)</span>
        </li>
        {others.map((o) => (
          <li key={o.slug}>
            <Link href={o.targets[tab] ?? `/orgs/${o.slug}`} className="block rounded px-2 py-1 font-semibold text-brand-700 underline">
              {o.name}
            </Link>
          </li>
        ))}
      </ul>
    </details>
  );
}
