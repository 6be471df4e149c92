import type { Metadata } from "next";
import { DataTable } from "@/components/data-table";
import { SECRET_STATE_LABELS } from "@/components/secret-labels";
import { type SecretRowView, SecretsTable } from "@/components/secrets-table";
import { StatusBadge } from "@/components/status-badge";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { getApiDetails, type SecretDto } from "@/lib/data/api-details";
import { getDb } from "@/lib/data/database";
import { env } from "@/lib/env";
import { describeDaysLeft, formatLastUsed } from "@/lib/format";
import { formatCalendarDate } from "@/lib/rotation/calendar";

export const metadata: Metadata = { title: "API details" };

export default async function ApiTabPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { organisation } = await requireOrganisationAccess(org, "api.view");
  const now = new Date();
  const details = await getApiDetails(await getDb(), organisation, now, env().ROTOR_PUBLIC_URL);
  const date = (d: string) => formatCalendarDate(d as Parameters<typeof formatCalendarDate>[0], organisation.locale);
  const row = (slot: SecretRowView["slot"], s: SecretDto): SecretRowView => ({
    id: s.id,
    slot,
    masked: s.masked,
    created: date(s.createdOn),
    expires: date(s.expiresOn),
    expiresIn: s.daysLeft >= 0 ? `Expires ${describeDaysLeft(s.daysLeft)}` : `Expired ${describeDaysLeft(s.daysLeft)}`,
    state: SECRET_STATE_LABELS[s.state] ?? { label: s.state, tone: "muted" },
    lastUsed: formatLastUsed(s.lastUsedAt, now, organisation.locale),
  });

  return (
    <section aria-labelledby="api-heading" className="space-y-6">
      <div className="space-y-2">
        <h2 id="api-heading" className="text-xl font-semibold">
          API Details
        </h2>
        <p className="max-w-3xl text-slate-800">
          Below you can see the API details to access the {organisation.name} integration. You can share these details with the relevant
          members of your organisation to set up your API connections.
        </p>
        <p className="max-w-3xl rounded border-l-4 border-accent-500 bg-amber-50 px-4 py-2 text-slate-900">
          These details give access to the data handled by your organisation. Please perform the necessary due diligence before disclosing
          them.
        </p>
      </div>
      <dl className="grid gap-1">
        <dt className="font-semibold">Endpoint</dt>
        <dd>
          <code className="break-all font-mono" data-testid="api-endpoint">
            {details.endpoint}
          </code>
        </dd>
      </dl>
      <p className="text-sm text-slate-700">
        Secrets are valid for {organisation.validityDays} calendar days. From {organisation.overlapDays} days before a secret expires, a new
        secret {organisation.autoIssue ? "is issued automatically" : "can be issued by your designated user"} and both are accepted until
        the old one expires. Dates are in {organisation.timeZone}.
      </p>
      {details.clients.length === 0 ? (
        <p className="rounded border border-dashed border-slate-400 px-4 py-6 text-center text-slate-700">
          Your organisation has no API clients yet. Your platform operator creates them.
        </p>
      ) : null}
      {details.clients.map((client) => {
        const rows = [
          client.current ? row("Current secret", client.current) : null,
          client.next ? row("New secret", client.next) : null,
        ].filter((r) => r !== null);
        return (
          <article key={client.id} aria-labelledby={`client-${client.id}`} className="space-y-4 rounded border border-slate-300 p-4">
            <h3 id={`client-${client.id}`} className="text-lg font-semibold text-brand-900">
              {client.name}
            </h3>
            <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
              <dt className="font-semibold">Client ID</dt>
              <dd>
                <code className="font-mono" data-testid="client-id">
                  {client.clientId}
                </code>
              </dd>
              <dt className="font-semibold">Scopes</dt>
              <dd>{client.allowedScopes.join(" ") || "—"}</dd>
              <dt className="font-semibold">Audiences</dt>
              <dd className="break-all">{client.allowedAudiences.join(", ") || "—"}</dd>
            </dl>
            <SecretsTable rows={rows} caption={`Secrets of ${client.name}`} />
            {client.keys.length > 0 ? (
              <div className="space-y-2">
                <h4 className="font-semibold">Public keys for private_key_jwt</h4>
                <DataTable
                  caption={`Public keys of ${client.name}`}
                  empty="No public keys."
                  rows={client.keys}
                  rowKey={(k) => k.id}
                  columns={[
                    { header: "Key ID (kid)", rowHeader: true, cell: (k) => <code className="break-all font-mono text-xs">{k.kid}</code> },
                    { header: "Type", cell: (k) => `${k.alg}, RSA ${k.bits} bits` },
                    { header: "Created date", cell: (k) => date(k.createdOn) },
                    { header: "Expiration date", cell: (k) => (k.expiresOn ? date(k.expiresOn) : "No expiry") },
                    {
                      header: "Status",
                      cell: (k) =>
                        k.revoked ? <StatusBadge tone="muted">Revoked</StatusBadge> : <StatusBadge tone="good">Active</StatusBadge>,
                    },
                    { header: "Last used", cell: (k) => formatLastUsed(k.lastUsedAt, now, organisation.locale) },
                  ]}
                />
              </div>
            ) : null}
          </article>
        );
      })}
    </section>
  );
}
