import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { WebhookStepUpNotice } from "@/app/(portal)/webhook-step-up-notice";
import { EndpointView } from "@/components/webhooks/endpoint-view";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { organisationWebhookContextFor } from "@/lib/auth/webhook-context-for";
import { isDomainError } from "@/lib/errors";
import { endpointPath, endpointsPath } from "@/lib/webhooks/paths";
import { readEndpoint } from "@/lib/webhooks/read-endpoints";
import { endpointIdField } from "@/lib/webhooks/schemas";
import {
  deleteEndpointAction,
  replayDeliveryAction,
  rotateSigningSecretAction,
  sendTestEventAction,
  setEndpointEnabledAction,
  updateEndpointAction,
} from "../actions";

export const metadata: Metadata = { title: "Webhook endpoint" };

/** One of the organisation's webhook endpoints: its deliveries, test event, secrets, and changes. */
export default async function WebhookEndpointPage({ params }: { params: Promise<{ org: string; endpointId: string }> }) {
  const { org, endpointId } = await params;
  const access = await requireOrganisationAccess(org, "webhooks.manage");
  if (!endpointIdField.safeParse(endpointId).success) notFound();
  const detail = await readEndpoint(await organisationWebhookContextFor(access), { endpointId }).catch((error: unknown) => {
    if (isDomainError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const { organisation } = access;
  const slug = organisation.slug;
  return (
    <section aria-labelledby="endpoint-heading" className="space-y-4">
      <p className="text-sm">
        <Link href={endpointsPath(slug)} className="text-brand-700 underline">
          Webhooks
        </Link>{" "}
        / Endpoint
      </p>
      <h2 id="endpoint-heading" className="break-all text-xl font-semibold">
        {detail.endpoint.description ?? detail.endpoint.url}
      </h2>
      <WebhookStepUpNotice returnTo={endpointPath(slug, endpointId)} />
      <EndpointView
        detail={detail}
        locale={organisation.locale}
        timeZone={organisation.timeZone}
        actions={{
          update: updateEndpointAction.bind(null, slug, endpointId),
          rotate: rotateSigningSecretAction.bind(null, slug, endpointId),
          turnOn: setEndpointEnabledAction.bind(null, slug, endpointId, true),
          turnOff: setEndpointEnabledAction.bind(null, slug, endpointId, false),
          sendTest: sendTestEventAction.bind(null, slug, endpointId),
          remove: deleteEndpointAction.bind(null, slug, endpointId),
          replay: (deliveryId) => replayDeliveryAction.bind(null, slug, endpointId, deliveryId),
        }}
      />
    </section>
  );
}
