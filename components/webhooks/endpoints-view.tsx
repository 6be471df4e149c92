import Link from "next/link";
import { formatDateTime } from "@/lib/format";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";
import { endpointPath } from "@/lib/webhooks/paths";
import type { EndpointSummary, WebhookEndpointRow } from "@/lib/webhooks/read-endpoints";
import { DataTable } from "../data-table";
import type { FormAction } from "../forms/use-form-action";
import { type BadgeTone, StatusBadge } from "../status-badge";
import { EndpointForm } from "./endpoint-form";

/** On, failing (still on), off by a person, or turned off by Rotor for failing. */
export function endpointStatus(e: Pick<WebhookEndpointRow, "disabledAt" | "disabledReason" | "consecutiveFailures">): {
  label: string;
  tone: BadgeTone;
} {
  if (e.disabledAt)
    return e.disabledReason === "failing" ? { label: "Turned off: kept failing", tone: "bad" } : { label: "Off", tone: "muted" };
  return e.consecutiveFailures > 0 ? { label: "On, failing", tone: "warn" } : { label: "On", tone: "good" };
}

export function describeEvents(types: string[]): string {
  return types.length === WEBHOOK_EVENT_TYPES.length ? `All ${types.length} events` : types.join(", ");
}

/**
 * The endpoints of an organisation (slug) or of the platform (null), and the form that adds one.
 * The same on Manage > Webhooks and Platform > Webhooks.
 */
export function EndpointsView({
  slug,
  endpoints,
  owner,
  createAction,
  locale,
  timeZone,
}: {
  slug: string | null;
  endpoints: EndpointSummary[];
  /** Whose endpoints, for the table's name: "Northwind Insurance", "the platform". */
  owner: string;
  createAction: FormAction;
  locale: string;
  timeZone: string;
}) {
  return (
    <div className="space-y-6">
      <DataTable
        caption={`Webhook endpoints of ${owner}`}
        empty={
          <div className="mx-auto max-w-2xl space-y-2 text-left">
            <p className="font-semibold text-slate-900">No webhook endpoints yet.</p>
            <p>
              A webhook endpoint is a URL of yours that Rotor calls when something happens to{" "}
              {slug === null ? "any organisation's" : "your organisation's"} API credentials: a secret issued, expiring or revoked, a key
              registered, a client changed. Each request is a signed JSON POST (Standard Webhooks), so your systems can act at once instead
              of waiting for an e-mail. Add one below.
            </p>
          </div>
        }
        rows={endpoints}
        rowKey={(e) => e.id}
        columns={[
          {
            header: "Endpoint",
            rowHeader: true,
            cell: (e) => (
              <>
                <Link href={endpointPath(slug, e.id)} className="inline-block min-w-48 break-all text-brand-700 underline">
                  {e.url}
                </Link>
                {e.description ? <span className="block text-xs font-normal text-slate-700">{e.description}</span> : null}
              </>
            ),
          },
          { header: "Events", cell: (e) => <span className="text-xs">{describeEvents(e.eventTypes)}</span> },
          {
            header: "Status",
            cell: (e) => {
              const s = endpointStatus(e);
              return <StatusBadge tone={s.tone}>{s.label}</StatusBadge>;
            },
          },
          { header: "Waiting", cell: (e) => String(e.pending) },
          { header: "Given up", cell: (e) => String(e.dead) },
          {
            header: "Last delivered",
            cell: (e) => (e.lastDeliveredAt ? formatDateTime(e.lastDeliveredAt, locale, timeZone) : "Never"),
          },
        ]}
      />
      <section aria-labelledby="add-endpoint-heading" className="space-y-3 rounded border border-slate-300 bg-white p-4">
        <h3 id="add-endpoint-heading" className="text-lg font-semibold text-brand-900">
          Add endpoint
        </h3>
        <p className="max-w-3xl text-sm text-slate-700">
          Rotor signs each request with the endpoint&apos;s signing secret, shown once when you add it. Verify the signature with any
          Standard Webhooks library before trusting a request; the webhook-id header is the same on every retry, so a repeat can be dropped.
        </p>
        <EndpointForm action={createAction} submitLabel="Add endpoint" />
      </section>
    </div>
  );
}
