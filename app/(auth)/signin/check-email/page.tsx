import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Check your e-mail" };

export default function CheckEmailPage() {
  return (
    <main id="main" className="mx-auto max-w-2xl px-4 py-16">
      <h1 className="text-2xl font-bold text-brand-900">Check your e-mail</h1>
      <p className="mt-3">
        If your address belongs to someone invited to this portal, a sign-in link is on its way. It works once, for 10 minutes. It can take
        a minute to arrive; look in your spam folder too.
      </p>
      <p className="mt-4">
        <Link className="font-semibold text-brand-700 underline" href="/signin">
          Back to sign-in
        </Link>
      </p>
    </main>
  );
}
