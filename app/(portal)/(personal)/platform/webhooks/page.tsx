import type { Metadata } from "next";
import Link from "next/link";
import { WebhookStepUpNotice } from "@/app/(portal)/webhook-step-up-notice";
import { EndpointsView } from "@/components/webhooks/endpoints-view";
import { requireOperator } from "@/lib/auth/caller";
import { platformWebhookContextFor } from "@/lib/auth/webhook-context-for";
import { readEndpoints } from "@/lib/webhooks/read-endpoints";
import { createPlatformEndpointAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks" };

/** The operator's platform-wide webhook endpoints: told of every organisation's credential events. */
export default async function PlatformWebhooksPage() {
  const caller = await requireOperator();
  const endpoints = await readEndpoints(await platformWebhookContextFor(caller));
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/platform" className="text-brand-700 underline">
          Platform
        </Link>{" "}
        / Webhooks
      </p>
      <h1 className="text-2xl font-bold text-brand-900">Webhooks</h1>
      <p className="max-w-3xl text-slate-800">
        Platform-wide endpoints receive every organisation&apos;s events: secrets issued, expiring, expired or revoked, keys registered or
        ending, clients changed. Each organisation&apos;s admins and designated user can also add endpoints of their own on their Manage
        &gt; Webhooks tab. Times are UK times.
      </p>
      <WebhookStepUpNotice returnTo="/platform/webhooks" />
      <EndpointsView
        slug={null}
        owner="the platform"
        endpoints={endpoints}
        createAction={createPlatformEndpointAction}
        locale="en-GB"
        timeZone="Europe/London"
      />
    </div>
  );
}
