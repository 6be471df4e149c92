import { formatDateTime } from "@/lib/format";
import { DEFAULT_SECRET_OVERLAP_HOURS, MAX_SECRET_OVERLAP_HOURS } from "@/lib/webhooks/policy";
import type { DeliveryView, EndpointDetail } from "@/lib/webhooks/read-endpoints";
import { DataTable } from "../data-table";
import type { FormAction } from "../forms/use-form-action";
import { type BadgeTone, StatusBadge } from "../status-badge";
import {
  DeleteEndpointForm,
  ReplayDeliveryForm,
  RotateSigningSecretForm,
  SendTestEventForm,
  TurnOffEndpointForm,
  TurnOnEndpointForm,
} from "./endpoint-actions";
import { EndpointForm } from "./endpoint-form";
import { describeEvents, endpointStatus } from "./endpoints-view";

const DELIVERY_STATES: Record<DeliveryView["status"], { label: string; tone: BadgeTone }> = {
  sent: { label: "Delivered", tone: "good" },
  pending: { label: "Waiting", tone: "info" },
  dead: { label: "Given up", tone: "bad" },
};

export interface EndpointActions {
  update: FormAction;
  rotate: FormAction;
  turnOn: FormAction;
  turnOff: FormAction;
  sendTest: FormAction;
  remove: FormAction;
  replay: (deliveryId: string) => FormAction;
}

const section = "space-y-3 rounded border border-slate-300 bg-white p-4";

/** One endpoint's page, the same under Manage > Webhooks and Platform > Webhooks. */
export function EndpointView({
  detail,
  actions,
  locale,
  timeZone,
}: {
  detail: EndpointDetail;
  actions: EndpointActions;
  locale: string;
  timeZone: string;
}) {
  const { endpoint, secrets, deliveries } = detail;
  const when = (d: Date) => formatDateTime(d, locale, timeZone);
  const status = endpointStatus(endpoint);
  const off = endpoint.disabledAt !== null;
  return (
    <div className="space-y-6">
      {off && endpoint.disabledReason === "failing" ? (
        <div role="alert" className="max-w-3xl space-y-1 rounded border-l-4 border-red-700 bg-red-50 px-4 py-3 text-slate-900">
          <p className="font-semibold">Rotor turned this endpoint off on {when(endpoint.disabledAt as Date)} because it kept failing.</p>
          <p className="text-sm">
            It failed {endpoint.consecutiveFailures} {endpoint.consecutiveFailures === 1 ? "attempt" : "attempts"} in a row
            {endpoint.failingSince ? ` since ${when(endpoint.failingSince)}` : ""}; the last error is in the deliveries below. Fix the
            receiver, then turn the endpoint on: the deliveries still waiting are sent at once, and a test event checks it.
          </p>
        </div>
      ) : null}
      <section aria-labelledby="details-heading" className={section}>
        <h3 id="details-heading" className="text-lg font-semibold text-brand-900">
          Details
        </h3>
        <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
          <dt className="font-semibold">URL</dt>
          <dd>
            <code className="break-all font-mono text-sm" data-testid="endpoint-url">
              {endpoint.url}
            </code>
          </dd>
          <dt className="font-semibold">Description</dt>
          <dd>{endpoint.description ?? "None"}</dd>
          <dt className="font-semibold">Events</dt>
          <dd className="text-sm">{describeEvents(endpoint.eventTypes)}</dd>
          <dt className="font-semibold">Status</dt>
          <dd>
            <StatusBadge tone={status.tone}>{status.label}</StatusBadge>
            {off ? (
              <span className="ml-2 text-sm text-slate-700">since {when(endpoint.disabledAt as Date)}</span>
            ) : endpoint.consecutiveFailures > 0 ? (
              <span className="ml-2 text-sm text-slate-700">
                {endpoint.consecutiveFailures} failed {endpoint.consecutiveFailures === 1 ? "attempt" : "attempts"} in a row
                {endpoint.failingSince ? ` since ${when(endpoint.failingSince)}` : ""}
              </span>
            ) : null}
          </dd>
          <dt className="font-semibold">Added</dt>
          <dd>{when(endpoint.createdAt)}</dd>
        </dl>
      </section>

      <section aria-labelledby="test-heading" className={section}>
        <h3 id="test-heading" className="text-lg font-semibold text-brand-900">
          Send a test event
        </h3>
        <p className="max-w-3xl text-sm text-slate-700">
          Sends a signed <code className="font-mono">webhook.test</code> event to this endpoint now and shows how it answered. It is tried
          once and never counts against the endpoint.
        </p>
        <SendTestEventForm
          action={actions.sendTest}
          disabledReason={off ? "The endpoint is off: turn it on to send a test event." : null}
        />
      </section>

      <section aria-labelledby="deliveries-heading" className="space-y-3">
        <h3 id="deliveries-heading" className="text-lg font-semibold text-brand-900">
          Recent deliveries
        </h3>
        <p className="max-w-3xl text-sm text-slate-700">
          The latest {deliveries.length === 1 ? "delivery" : "deliveries"}, newest first. A failed delivery is retried with backoff and
          given up on after repeated failures; Replay sends it again now, with the same webhook-id.
          {off ? " Turn the endpoint on to replay a delivery." : ""}
        </p>
        <DataTable
          caption="Recent deliveries"
          empty="Nothing has been sent to this endpoint yet. Send a test event to try it."
          rows={deliveries}
          rowKey={(d) => d.id}
          columns={[
            {
              header: "Event",
              rowHeader: true,
              cell: (d) => (
                <>
                  <span className="block font-mono text-xs">{d.eventType}</span>
                  <code className="block break-all font-mono text-xs font-normal text-slate-700">{d.eventId}</code>
                </>
              ),
            },
            { header: "Occurred", cell: (d) => when(d.occurredAt) },
            {
              header: "Status",
              cell: (d) => <StatusBadge tone={DELIVERY_STATES[d.status].tone}>{DELIVERY_STATES[d.status].label}</StatusBadge>,
            },
            { header: "Attempts", cell: (d) => String(d.attempts) },
            { header: "Response", cell: (d) => (d.lastStatusCode === null ? "—" : String(d.lastStatusCode)) },
            { header: "Latency", cell: (d) => (d.lastLatencyMs === null ? "—" : `${d.lastLatencyMs} ms`) },
            {
              header: "Last error",
              cell: (d) => (d.lastError ? <span className="block max-w-xs break-words text-xs">{d.lastError}</span> : "—"),
            },
            { header: "Next attempt", cell: (d) => (d.status === "pending" ? when(d.nextAttemptAt) : "—") },
            ...(off
              ? []
              : [
                  {
                    header: "Actions",
                    cell: (d: DeliveryView) => (
                      <ReplayDeliveryForm action={actions.replay(d.id)} what={`${d.eventType} ${d.eventId.slice(0, 8)}`} />
                    ),
                  },
                ]),
          ]}
        />
      </section>

      <section aria-labelledby="edit-heading" className={section}>
        <h3 id="edit-heading" className="text-lg font-semibold text-brand-900">
          Change the endpoint
        </h3>
        <EndpointForm
          action={actions.update}
          defaults={{ url: endpoint.url, description: endpoint.description, eventTypes: endpoint.eventTypes }}
          submitLabel="Save changes"
        />
      </section>

      <section aria-labelledby="secrets-heading" className={section}>
        <h3 id="secrets-heading" className="text-lg font-semibold text-brand-900">
          Signing secrets
        </h3>
        <p className="max-w-3xl text-sm text-slate-700">
          Each request carries a signature by every secret listed here. A secret&apos;s value is shown only when it is issued.
        </p>
        <DataTable
          caption="Signing secrets in use"
          empty="No signing secret is in use."
          rows={secrets}
          rowKey={(s) => `${s.maskedTail}-${s.createdAt.toISOString()}`}
          columns={[
            {
              header: "Secret",
              rowHeader: true,
              cell: (s) => (
                <code className="whitespace-nowrap font-mono" data-testid="signing-secret-tail">
                  whsec_…{s.maskedTail}
                </code>
              ),
            },
            { header: "Created", cell: (s) => when(s.createdAt) },
            { header: "Signs until", cell: (s) => (s.expiresAt ? when(s.expiresAt) : "Until rotated (current)") },
          ]}
        />
        <RotateSigningSecretForm
          action={actions.rotate}
          defaultOverlapHours={DEFAULT_SECRET_OVERLAP_HOURS}
          maxOverlapHours={MAX_SECRET_OVERLAP_HOURS}
        />
      </section>

      <section aria-labelledby="switch-heading" className={section}>
        <h3 id="switch-heading" className="text-lg font-semibold text-brand-900">
          {off ? "Turn the endpoint on" : "Turn the endpoint off"}
        </h3>
        {off ? (
          <>
            <p className="max-w-3xl text-sm text-slate-700">
              Turning it on clears its failure record and sends the deliveries still waiting at once.
            </p>
            <TurnOnEndpointForm action={actions.turnOn} />
          </>
        ) : (
          <>
            <p className="max-w-3xl text-sm text-slate-700">
              While it is off, nothing is sent to it. Turn it off while its receiver is down for a long time, instead of letting it fail.
            </p>
            <TurnOffEndpointForm action={actions.turnOff} />
          </>
        )}
      </section>

      <section aria-labelledby="delete-heading" className={section}>
        <h3 id="delete-heading" className="text-lg font-semibold text-brand-900">
          Delete the endpoint
        </h3>
        <DeleteEndpointForm action={actions.remove} url={endpoint.url} />
      </section>
    </div>
  );
}
