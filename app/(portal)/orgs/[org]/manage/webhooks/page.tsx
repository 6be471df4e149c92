import type { Metadata } from "next";
import { WebhookStepUpNotice } from "@/app/(portal)/webhook-step-up-notice";
import { EndpointsView } from "@/components/webhooks/endpoints-view";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { organisationWebhookContextFor } from "@/lib/auth/webhook-context-for";
import { endpointsPath } from "@/lib/webhooks/paths";
import { readEndpoints } from "@/lib/webhooks/read-endpoints";
import { createEndpointAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks" };

/** Manage > Webhooks: the organisation's endpoints, told of its credential events (docs/webhooks.md). */
export default async function WebhooksTabPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const access = await requireOrganisationAccess(org, "webhooks.manage");
  const { organisation } = access;
  const endpoints = await readEndpoints(await organisationWebhookContextFor(access));
  return (
    <section aria-labelledby="webhooks-heading" className="space-y-4">
      <div className="space-y-2">
        <h2 id="webhooks-heading" className="text-xl font-semibold">
          Webhooks
        </h2>
        <p className="max-w-3xl text-slate-800">
          Rotor tells these endpoints about {organisation.name}&apos;s API credentials as things happen: secrets issued, expiring, expired
          or revoked, keys registered or ending, clients changed. Your admins and designated user manage them.
        </p>
        <WebhookStepUpNotice returnTo={endpointsPath(organisation.slug)} />
      </div>
      <EndpointsView
        slug={organisation.slug}
        owner={organisation.name}
        endpoints={endpoints}
        createAction={createEndpointAction.bind(null, organisation.slug)}
        locale={organisation.locale}
        timeZone={organisation.timeZone}
      />
    </section>
  );
}
