import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { CreateApiTokenForm } from "@/components/forms/api-tokens/create-api-token-form";
import { RevokeApiTokenForm } from "@/components/forms/api-tokens/revoke-api-token-form";
import { StatusBadge } from "@/components/status-badge";
import { listApiTokens } from "@/lib/api-tokens/api-tokens";
import { SCOPE_LABELS, TOKEN_LIFETIMES } from "@/lib/api-tokens/schemas";
import { requireCaller } from "@/lib/auth/caller";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { getDb } from "@/lib/data/database";
import { formatDateTime, formatLastUsed } from "@/lib/format";
import { createApiTokenAction, revokeApiTokenAction } from "./actions";

export const metadata: Metadata = { title: "Account Management" };

export default async function AccountPage() {
  const caller = await requireCaller();
  const spocOf = caller.organisations.filter((o) => can(o.role, "credentials.rotate"));
  // An operator's platform tokens are listed in the Platform area, beside where they are made.
  const tokens = spocOf.length > 0 ? (await listApiTokens(await getDb(), caller.userId)).filter((t) => t.scope !== "platform") : [];
  const now = new Date();
  const when = (d: Date) => formatDateTime(d, "en-GB", "Europe/London");
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
      {spocOf.length > 0 ? (
        <section aria-labelledby="tokens-heading" className="space-y-4 rounded border border-slate-300 bg-white p-4">
          <div>
            <h2 id="tokens-heading" className="text-lg font-semibold">
              Personal API tokens
            </h2>
            <p className="text-slate-700">
              As the designated user you can automate rotation through the{" "}
              <a className="text-brand-700 underline" href="/api/v1/openapi.json">
                management API
              </a>
              . A token acts as you, with the scope you choose, expires, and is shown only once. It stops working at once if you are
              de-activated or stop being the designated user.
            </p>
          </div>
          <CreateApiTokenForm organisations={spocOf} lifetimes={TOKEN_LIFETIMES} scopes={SCOPE_LABELS} action={createApiTokenAction} />
          <DataTable
            caption="Your personal API tokens"
            empty="You have no API tokens."
            rows={tokens}
            rowKey={(t) => t.id}
            columns={[
              { header: "Name", rowHeader: true, cell: (t) => t.name },
              { header: "Token", cell: (t) => <code className="font-mono">{t.masked}</code> },
              { header: "Organisation", cell: (t) => t.organisation },
              { header: "Scope", cell: (t) => (t.scope === "rotate" ? "Read and rotate" : "Read only") },
              { header: "Created", cell: (t) => when(t.createdAt) },
              { header: "Expires", cell: (t) => when(t.expiresAt) },
              { header: "Last used", cell: (t) => formatLastUsed(t.lastUsedAt, now, "en-GB") },
              {
                header: "Status",
                cell: (t) =>
                  t.revokedAt ? (
                    <StatusBadge tone="muted">Revoked</StatusBadge>
                  ) : t.expiresAt <= now ? (
                    <StatusBadge tone="bad">Expired</StatusBadge>
                  ) : (
                    <StatusBadge tone="good">Active</StatusBadge>
                  ),
              },
              {
                header: "Actions",
                cell: (t) =>
                  !t.revokedAt && t.expiresAt > now ? (
                    <RevokeApiTokenForm tokenId={t.id} name={t.name} action={revokeApiTokenAction} />
                  ) : null,
              },
            ]}
          />
        </section>
      ) : null}
    </div>
  );
}
