"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export interface NavItem {
  href: string;
  label: string;
  /** Paths under this prefix also mark the item current. */
  prefix?: string;
}

/** Home and Manage; on small screens they fold into a Menu (a native disclosure: keyboard-ready). */
export function PrimaryNav({ items, label }: { items: NavItem[]; label: string }) {
  const pathname = usePathname();
  const isCurrent = (item: NavItem) => pathname === item.href || (item.prefix !== undefined && pathname.startsWith(item.prefix));
  const links = (className: string) =>
    items.map((item) => (
      <li key={item.href}>
        <Link href={item.href} aria-current={isCurrent(item) ? "page" : undefined} className={className}>
          {item.label}
        </Link>
      </li>
    ));
  const desktop =
    "block border-b-4 px-4 py-3 font-semibold text-brand-900 hover:bg-brand-50 aria-[current=page]:border-brand-700 border-transparent";
  return (
    <nav aria-label={label} className="border-b border-slate-300 bg-white">
      <div className="mx-auto max-w-6xl px-4">
        <ul className="hidden sm:flex">{links(desktop)}</ul>
        <details className="py-2 sm:hidden">
          <summary className="cursor-pointer list-none rounded px-2 py-2 font-semibold text-brand-900">
            <span aria-hidden="true">☰ </span>Menu
          </summary>
          <ul className="mt-2 flex flex-col gap-1">
            {links("block rounded px-3 py-2 font-semibold text-brand-900 aria-[current=page]:bg-brand-50 aria-[current=page]:underline")}
          </ul>
        </details>
      </div>
    </nav>
  );
}
