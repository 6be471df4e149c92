import type { Metadata } from "next";
import Link from "next/link";
import { requireCaller } from "@/lib/auth/caller";
import { ROLE_LABELS } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Account Management" };

export default async function AccountPage() {
  const caller = await requireCaller();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-brand-900">Account Management</h1>
      <section aria-labelledby="profile-heading" className="rounded border border-slate-300 bg-white p-4">
        <h2 id="profile-heading" className="mb-2 text-lg font-semibold">
          Your details
        </h2>
        <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
          <dt className="font-semibold">Name</dt>
          <dd>{caller.name ?? "—"}</dd>
          <dt className="font-semibold">E-mail</dt>
          <dd>{caller.email ?? "—"}</dd>
        </dl>
      </section>
      <section aria-labelledby="orgs-heading" className="rounded border border-slate-300 bg-white p-4">
        <h2 id="orgs-heading" className="mb-2 text-lg font-semibold">
          Your organisations
        </h2>
        {caller.organisations.length === 0 ? (
          <p className="text-slate-700">You are not a member of any organisation.</p>
        ) : (
          <ul className="space-y-1">
            {caller.organisations.map((o) => (
              <li key={o.slug}>
                <Link className="text-brand-700 underline" href={`/orgs/${o.slug}`}>
                  {o.name}
                </Link>{" "}
                · {ROLE_LABELS[o.role]}
              </li>
            ))}
          </ul>
        )}
        {caller.isOperator ? <p className="mt-2">You are also a platform operator.</p> : null}
      </section>
    </div>
  );
}
