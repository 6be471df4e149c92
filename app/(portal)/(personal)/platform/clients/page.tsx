import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { CreateClientForm } from "@/components/forms/platform/create-client-form";
import { StatusBadge } from "@/components/status-badge";
import { requireOperator } from "@/lib/auth/caller";
import { listAllClients } from "@/lib/data/clients";
import { getDb } from "@/lib/data/database";
import { listOrganisations } from "@/lib/data/organisations";
import { formatDateTime } from "@/lib/format";
import { createClientAction } from "./actions";

export const metadata: Metadata = { title: "Clients" };

/** The platform operator's list of every organisation's OAuth clients, and a new client for one of them. */
export default async function PlatformClientsPage() {
  await requireOperator();
  const db = await getDb();
  const clients = await listAllClients(db);
  const organisations = await listOrganisations(db);
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/platform" className="text-brand-700 underline">
          Platform
        </Link>{" "}
        / Clients
      </p>
      <h1 className="text-2xl font-bold text-brand-900">Clients</h1>
      <section aria-labelledby="clients-heading" className="space-y-3">
        <h2 id="clients-heading" className="text-xl font-semibold">
          Every organisation&apos;s clients
        </h2>
        <DataTable
          caption="Every organisation's OAuth clients and their settings"
          empty="No clients yet: create the first below."
          rows={clients}
          rowKey={(c) => c.id}
          columns={[
            { header: "Organisation", cell: (c) => c.organisation.name },
            {
              header: "Client",
              rowHeader: true,
              cell: (c) => (
                <Link href={`/platform/clients/${c.clientId}`} className="text-brand-700 underline">
                  {c.name}
                </Link>
              ),
            },
            { header: "Client ID", cell: (c) => <code className="font-mono">{c.clientId}</code> },
            { header: "Scopes", cell: (c) => c.allowedScopes.join(" ") || "—" },
            { header: "Default audience", cell: (c) => <span className="break-all">{c.defaultAudience ?? "The platform's own API"}</span> },
            {
              header: "Status",
              cell: (c) =>
                c.disabledAt ? (
                  <StatusBadge tone="bad">{`Disabled since ${formatDateTime(c.disabledAt, "en-GB", "Europe/London")}`}</StatusBadge>
                ) : (
                  <StatusBadge tone="good">Enabled</StatusBadge>
                ),
            },
          ]}
        />
      </section>
      <section aria-labelledby="create-heading" className="space-y-3 rounded border border-slate-300 bg-white p-4">
        <h2 id="create-heading" className="text-lg font-semibold">
          Create a client
        </h2>
        <CreateClientForm action={createClientAction} organisations={organisations.map((o) => ({ slug: o.slug, name: o.name }))} />
      </section>
    </div>
  );
}
