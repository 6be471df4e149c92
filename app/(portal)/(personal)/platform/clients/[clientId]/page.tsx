import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ClientSettings } from "@/components/client-settings";
import { ConfirmedAction } from "@/components/forms/confirmed-action";
import { ClientSettingsForm } from "@/components/forms/platform/client-settings-form";
import { SimpleAction } from "@/components/forms/simple-action";
import { requireOperator } from "@/lib/auth/caller";
import { findPlatformClient } from "@/lib/data/clients";
import { getDb } from "@/lib/data/database";
import { findOrganisationById } from "@/lib/data/organisations";
import { env } from "@/lib/env";
import { formatDateTime } from "@/lib/format";
import { disableClientAction, enableClientAction, updateClientAction } from "../actions";

export const metadata: Metadata = { title: "Client settings" };

/** One client's settings for the platform operator: edit them, disable or enable it. */
export default async function PlatformClientPage({ params }: { params: Promise<{ clientId: string }> }) {
  await requireOperator();
  const { clientId } = await params;
  const db = await getDb();
  const client = await findPlatformClient(db, clientId);
  if (!client) notFound();
  const organisation = await findOrganisationById(db, client.organisation.id);
  const disabledSince = client.disabledAt
    ? formatDateTime(client.disabledAt, organisation?.locale ?? "en-GB", organisation?.timeZone ?? "Europe/London")
    : null;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/platform" className="text-brand-700 underline">
          Platform
        </Link>{" "}
        /{" "}
        <Link href="/platform/clients" className="text-brand-700 underline">
          Clients
        </Link>{" "}
        / {client.name}
      </p>
      <h1 className="text-2xl font-bold text-brand-900">
        {client.name} <span className="text-base font-normal text-slate-700">of {client.organisation.name}</span>
      </h1>
      <section aria-labelledby="now-heading" className="space-y-3 rounded border border-slate-300 bg-white p-4">
        <h2 id="now-heading" className="text-lg font-semibold">
          As it is now
        </h2>
        <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
          <dt className="font-semibold">Client ID</dt>
          <dd>
            <code className="font-mono break-all">{client.clientId}</code>
          </dd>
          <ClientSettings
            settings={{ ...client, defaultAudience: client.defaultAudience ?? `${env().ROTOR_PUBLIC_URL}/api/v1`, disabledSince }}
          />
        </dl>
      </section>
      <section aria-labelledby="edit-heading" className="space-y-3 rounded border border-slate-300 bg-white p-4">
        <h2 id="edit-heading" className="text-lg font-semibold">
          Change its settings
        </h2>
        <ClientSettingsForm action={updateClientAction.bind(null, client.clientId)} settings={client} />
      </section>
      <section aria-labelledby="switch-heading" className="space-y-3 rounded border border-slate-300 bg-white p-4">
        <h2 id="switch-heading" className="text-lg font-semibold">
          {client.disabledAt ? "Enable the client" : "Disable the client"}
        </h2>
        {client.disabledAt ? (
          <>
            <p className="text-sm">Disabled since {disabledSince}. Enabling it lets its live secrets and keys get tokens again.</p>
            <SimpleAction action={enableClientAction.bind(null, client.clientId)} label="Enable client" />
          </>
        ) : (
          <>
            <p className="text-sm">A disabled client gets invalid_client at the token endpoint; its secrets and keys are kept.</p>
            <ConfirmedAction
              action={disableClientAction.bind(null, client.clientId)}
              label="Disable client"
              confirmLabel="Disable it now"
              warning={`${client.organisation.name}'s systems using ${client.clientId} will be refused new tokens from the next request, until it is enabled again. Tokens already issued stay valid until they expire.`}
            />
          </>
        )}
      </section>
    </div>
  );
}
