import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";
import { Announcer } from "@/components/announcer";
import { readNotice } from "@/lib/actions/notice";

export const metadata: Metadata = {
  title: { default: "Rotor", template: "%s · Rotor" },
  description: "API credentials for your organisation: client IDs, secrets, keys and their rotation.",
};

/**
 * Every page is rendered per request: its scripts carry that response's CSP nonce (proxy.ts), which
 * a page prerendered at build time could not have.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en-GB">
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-brand-900"
        >
          Skip to main content
        </a>
        {children}
        <Announcer notice={await readNotice()} />
      </body>
    </html>
  );
}
