import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { WebhookStepUpNotice } from "@/app/(portal)/webhook-step-up-notice";
import { EndpointView } from "@/components/webhooks/endpoint-view";
import { requireOperator } from "@/lib/auth/caller";
import { platformWebhookContextFor } from "@/lib/auth/webhook-context-for";
import { isDomainError } from "@/lib/errors";
import { endpointPath } from "@/lib/webhooks/paths";
import { readEndpoint } from "@/lib/webhooks/read-endpoints";
import { endpointIdField } from "@/lib/webhooks/schemas";
import {
  deletePlatformEndpointAction,
  replayPlatformDeliveryAction,
  rotatePlatformSigningSecretAction,
  sendPlatformTestEventAction,
  setPlatformEndpointEnabledAction,
  updatePlatformEndpointAction,
} from "../actions";

export const metadata: Metadata = { title: "Webhook endpoint" };

/** One platform-wide webhook endpoint, for the operator. */
export default async function PlatformWebhookEndpointPage({ params }: { params: Promise<{ endpointId: string }> }) {
  const caller = await requireOperator();
  const { endpointId } = await params;
  if (!endpointIdField.safeParse(endpointId).success) notFound();
  const detail = await readEndpoint(await platformWebhookContextFor(caller), { endpointId }).catch((error: unknown) => {
    if (isDomainError(error) && error.code === "not_found") notFound();
    throw error;
  });
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/platform" className="text-brand-700 underline">
          Platform
        </Link>{" "}
        /{" "}
        <Link href="/platform/webhooks" className="text-brand-700 underline">
          Webhooks
        </Link>{" "}
        / Endpoint
      </p>
      <h1 className="break-all text-2xl font-bold text-brand-900">{detail.endpoint.description ?? detail.endpoint.url}</h1>
      <p className="text-sm text-slate-700">A platform-wide endpoint: it receives every organisation&apos;s events. Times are UK times.</p>
      <WebhookStepUpNotice returnTo={endpointPath(null, endpointId)} />
      <EndpointView
        detail={detail}
        locale="en-GB"
        timeZone="Europe/London"
        actions={{
          update: updatePlatformEndpointAction.bind(null, endpointId),
          rotate: rotatePlatformSigningSecretAction.bind(null, endpointId),
          turnOn: setPlatformEndpointEnabledAction.bind(null, endpointId, true),
          turnOff: setPlatformEndpointEnabledAction.bind(null, endpointId, false),
          sendTest: sendPlatformTestEventAction.bind(null, endpointId),
          remove: deletePlatformEndpointAction.bind(null, endpointId),
          replay: (deliveryId) => replayPlatformDeliveryAction.bind(null, endpointId, deliveryId),
        }}
      />
    </div>
  );
}
