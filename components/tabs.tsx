"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export interface TabItem {
  href: string;
  label: string;
}

/** Seed 000's tabs under Manage: links styled as tabs, the current one marked for assistive tech. */
export function Tabs({ items, label }: { items: TabItem[]; label: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="border-b border-slate-300">
      <ul className="-mb-px flex flex-wrap gap-1">
        {items.map((tab) => (
          <li key={tab.href}>
            <Link
              href={tab.href}
              // A tab's own pages (an endpoint under Webhooks) keep it marked, as a link to where the page belongs.
              aria-current={pathname === tab.href ? "page" : pathname.startsWith(`${tab.href}/`) ? "true" : undefined}
              className="block rounded-t border border-transparent px-4 py-2 text-sm font-semibold text-brand-700 hover:bg-white aria-[current=page]:border-slate-300 aria-[current=page]:border-b-white aria-[current=page]:bg-white aria-[current=page]:text-slate-900 aria-[current=true]:border-slate-300 aria-[current=true]:border-b-white aria-[current=true]:bg-white aria-[current=true]:text-slate-900"
            >
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
