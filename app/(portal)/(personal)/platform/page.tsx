import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { RevokeApiTokenForm } from "@/components/forms/api-tokens/revoke-api-token-form";
import { CreatePlatformTokenForm } from "@/components/forms/platform/create-platform-token-form";
import { DesignateSpocForm } from "@/components/forms/platform/designate-spoc-form";
import { LimitsForm } from "@/components/forms/platform/limits-form";
import { OnboardForm } from "@/components/forms/platform/onboard-form";
import { HEALTH_LABELS } from "@/components/secret-labels";
import { StatusBadge } from "@/components/status-badge";
import { listApiTokens } from "@/lib/api-tokens/api-tokens";
import { TOKEN_LIFETIMES } from "@/lib/api-tokens/schemas";
import { requireOperator } from "@/lib/auth/caller";
import { getCredentialHealth } from "@/lib/data/api-details";
import { getDb } from "@/lib/data/database";
import { getOutboxHealth } from "@/lib/data/mailbox";
import { listDesignatedUsers } from "@/lib/data/memberships";
import { listOrganisations } from "@/lib/data/organisations";
import { getPlatformSettings } from "@/lib/data/platform";
import { describeDaysLeft, formatDateTime, formatLastUsed } from "@/lib/format";
import { createPlatformTokenAction, designateSpocAction, limitsAction, onboardAction, revokePlatformTokenAction } from "./actions";

export const metadata: Metadata = { title: "Platform" };

export default async function PlatformPage() {
  const caller = await requireOperator();
  const db = await getDb();
  const tokens = (await listApiTokens(db, caller.userId)).filter((t) => t.scope === "platform");
  const now = new Date();
  const settings = await getPlatformSettings(db);
  const organisations = await listOrganisations(db);
  const outbox = await getOutboxHealth(db);
  const spocs = await listDesignatedUsers(db);
  const rows = (
    await Promise.all(
      organisations.map(async (o) =>
        (await getCredentialHealth(db, o, now)).map((c) => ({ key: `${o.id}:${c.clientId}`, organisation: o, ...c })),
      ),
    )
  ).flat();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-brand-900">Platform</h1>
      <p>
        <Link href="/platform/clients" className="font-semibold text-brand-700 underline">
          Clients: create one, change its settings, disable or enable it
        </Link>
      </p>
      <p>
        <Link href="/platform/audit-log" className="font-semibold text-brand-700 underline">
          Audit log: every organisation&apos;s events, searchable
        </Link>
      </p>
      <p>
        <Link href="/platform/webhooks" className="font-semibold text-brand-700 underline">
          Webhooks: platform-wide endpoints told of every organisation&apos;s credential events
        </Link>
      </p>
      <section aria-labelledby="health-heading" className="space-y-3">
        <h2 id="health-heading" className="text-xl font-semibold">
          Credential health across organisations
        </h2>
        <DataTable
          caption="Every organisation's clients and the state of their secrets"
          empty="No organisations have been onboarded yet."
          rows={rows}
          rowKey={(r) => r.key}
          columns={[
            { header: "Organisation", rowHeader: true, cell: (r) => r.organisation.name },
            { header: "Client", cell: (r) => r.name },
            { header: "Client ID", cell: (r) => <code className="font-mono">{r.clientId}</code> },
            {
              header: "Current secret expires",
              cell: (r) => ("current" in r.health ? describeDaysLeft(r.health.current.daysLeft) : "—"),
            },
            {
              header: "Status",
              cell: (r) => {
                const b = HEALTH_LABELS[r.health.status] ?? { label: r.health.status, tone: "muted" as const };
                return <StatusBadge tone={b.tone}>{b.label}</StatusBadge>;
              },
            },
            { header: "Time zone", cell: (r) => r.organisation.timeZone },
          ]}
        />
      </section>
      <section aria-labelledby="email-heading" className="space-y-3 rounded border border-slate-300 bg-white p-4">
        <h2 id="email-heading" className="text-lg font-semibold">
          E-mail delivery
        </h2>
        <p data-testid="outbox-counts">
          {outbox.sent} sent, {outbox.pending} waiting or retrying, {outbox.dead.length} given up after repeated failures.
        </p>
        <DataTable
          caption="Messages that could not be delivered"
          empty="No message has given up."
          rows={outbox.dead}
          rowKey={(m) => m.id}
          columns={[
            { header: "Subject", rowHeader: true, cell: (m) => m.subject },
            { header: "Organisation", cell: (m) => m.organisation ?? "—" },
            { header: "Tries", cell: (m) => String(m.attempts) },
            { header: "Last error", cell: (m) => m.lastError ?? "—" },
            { header: "Queued", cell: (m) => formatDateTime(m.createdAt, "en-GB", "Europe/London") },
          ]}
        />
      </section>
      <section aria-labelledby="orgs-heading" className="space-y-3">
        <h2 id="orgs-heading" className="text-xl font-semibold">
          Organisations
        </h2>
        <DataTable
          caption="Onboarded organisations"
          empty="No organisations yet: onboard the first below."
          rows={organisations}
          rowKey={(o) => o.id}
          columns={[
            { header: "Organisation", rowHeader: true, cell: (o) => o.name },
            { header: "URL name", cell: (o) => <code className="font-mono">{o.slug}</code> },
            { header: "Time zone", cell: (o) => o.timeZone },
            {
              header: "Policy",
              cell: (o) => `${o.validityDays} days, ${o.overlapDays}-day overlap, ${o.autoIssue ? "auto-issue" : "manual"}`,
            },
            {
              header: "Designated user (SPOC)",
              cell: (o) => (
                <div className="space-y-1">
                  <p className="text-sm" data-testid="spoc">
                    {spocs.get(o.id) ?? "None"}
                  </p>
                  <DesignateSpocForm action={designateSpocAction.bind(null, o.id)} organisation={o.name} />
                </div>
              ),
            },
          ]}
        />
        <details className="rounded border border-slate-300 bg-white">
          <summary className="cursor-pointer px-3 py-2 font-semibold text-brand-700">Onboard an organisation</summary>
          <div className="p-3">
            <OnboardForm action={onboardAction} maxValidityDays={settings.maxValidityDays} />
          </div>
        </details>
      </section>
      <section aria-labelledby="platform-tokens-heading" className="space-y-4 rounded border border-slate-300 bg-white p-4">
        <div className="space-y-1">
          <h2 id="platform-tokens-heading" className="text-lg font-semibold">
            Your platform API tokens
          </h2>
          <p className="text-slate-700">
            For the{" "}
            <a className="text-brand-700 underline" href="/api/v1/openapi.json">
              management API
            </a>
            &apos;s operator endpoints (/api/v1/organisations/…/clients, /api/v1/platform/audit-events): create an organisation&apos;s
            clients, change their settings, disable or enable them, and read the audit log across organisations. A token acts as you in
            every organisation, expires, and is shown only once. It stops working at once if you stop being a platform operator.
          </p>
        </div>
        <CreatePlatformTokenForm lifetimes={TOKEN_LIFETIMES} action={createPlatformTokenAction} />
        <DataTable
          caption="Your platform API tokens"
          empty="You have no platform API tokens."
          rows={tokens}
          rowKey={(t) => t.id}
          columns={[
            { header: "Name", rowHeader: true, cell: (t) => t.name },
            { header: "Token", cell: (t) => <code className="font-mono">{t.masked}</code> },
            { header: "Created", cell: (t) => formatDateTime(t.createdAt, "en-GB", "Europe/London") },
            { header: "Expires", cell: (t) => formatDateTime(t.expiresAt, "en-GB", "Europe/London") },
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
                  <RevokeApiTokenForm tokenId={t.id} name={t.name} action={revokePlatformTokenAction} />
                ) : null,
            },
          ]}
        />
      </section>
      <section aria-labelledby="limits-heading" className="space-y-3 rounded border border-slate-300 bg-white p-4">
        <h2 id="limits-heading" className="text-lg font-semibold">
          Platform limits
        </h2>
        <LimitsForm action={limitsAction} limits={settings} />
      </section>
    </div>
  );
}
