import type { CredentialContext } from "@/lib/context";
import type { DeliveryView, WebhookEndpointRow } from "@/lib/data/webhooks";
import { env } from "@/lib/env";
import { createEndpoint } from "@/lib/webhooks/create-endpoint";
import { deleteEndpoint } from "@/lib/webhooks/delete-endpoint";
import { webhookLimits } from "@/lib/webhooks/policy";
import { type EndpointDetail, readEndpoint, readEndpoints } from "@/lib/webhooks/read-endpoints";
import { replayDelivery } from "@/lib/webhooks/replay-delivery";
import { rotateEndpointSecret } from "@/lib/webhooks/rotate-endpoint-secret";
import { endpointFields, endpointIdField, replayDeliveryInput, updateEndpointInput } from "@/lib/webhooks/schemas";
import { sendTestEvent } from "@/lib/webhooks/send-test-event";
import { setEndpointEnabled } from "@/lib/webhooks/set-endpoint-enabled";
import { updateEndpoint } from "@/lib/webhooks/update-endpoint";
import type { WebhookContext } from "@/lib/webhooks/webhook-context";
import { rotateWebhookSecretBody, webhookEndpointBody } from "./dto";
import { managementRoute } from "./handler";

/*
 * The organisation's webhook endpoints through the management API (docs/webhooks.md), for the
 * designated user's token: read with `read`, change with `rotate`. Each endpoint calls one use case
 * of lib/webhooks, which authorizes the caller again ("webhooks.manage").
 */

const webhooks = (ctx: CredentialContext): WebhookContext => ({ ...ctx, limits: webhookLimits(env()) });
const iso = (d: Date | null) => d?.toISOString() ?? null;

function endpointView(endpoint: WebhookEndpointRow, secrets: EndpointDetail["secrets"]) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    enabled: endpoint.disabledAt === null,
    disabledAt: iso(endpoint.disabledAt),
    disabledReason: endpoint.disabledReason,
    failingSince: iso(endpoint.failingSince),
    consecutiveFailures: endpoint.consecutiveFailures,
    createdAt: endpoint.createdAt.toISOString(),
    signingSecrets: secrets.map((s) => ({ maskedValue: s.maskedTail, createdAt: s.createdAt.toISOString(), signsUntil: iso(s.expiresAt) })),
  };
}

function deliveryView(d: DeliveryView) {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    occurredAt: d.occurredAt.toISOString(),
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
    lastAttemptAt: iso(d.lastAttemptAt),
    lastStatusCode: d.lastStatusCode,
    lastLatencyMs: d.lastLatencyMs,
    lastError: d.lastError,
    deliveredAt: iso(d.deliveredAt),
  };
}

const endpointId = (params: Record<string, string>) => endpointIdField.parse(params.endpointId);

async function endpointBody(ctx: WebhookContext, id: string) {
  const detail = await readEndpoint(ctx, { endpointId: id });
  return endpointView(detail.endpoint, detail.secrets);
}

export const listWebhooksEndpoint = managementRoute({ scope: "read" }, async ({ ctx }) => {
  const w = webhooks(ctx);
  const endpoints = await readEndpoints(w);
  return { status: 200, body: { endpoints: await Promise.all(endpoints.map((e) => endpointBody(w, e.id))) } };
});

export const createWebhookEndpoint = managementRoute(
  { scope: "rotate", body: webhookEndpointBody, idempotent: true },
  async ({ ctx, body }) => {
    const w = webhooks(ctx);
    const { endpoint, signingSecret } = await createEndpoint(
      w,
      endpointFields.parse({ ...body, description: body.description ?? undefined }),
    );
    const answer = { endpoint: await endpointBody(w, endpoint.id), signingSecret };
    // The secret is in this response only; a replay of the request says null instead.
    return { status: 201, body: answer, replayBody: { ...answer, signingSecret: null } };
  },
);

export const readWebhookEndpoint = managementRoute({ scope: "read" }, async ({ ctx, params }) => ({
  status: 200,
  body: await endpointBody(webhooks(ctx), endpointId(params)),
}));

export const updateWebhookEndpoint = managementRoute(
  { scope: "rotate", body: webhookEndpointBody, idempotent: true },
  async ({ ctx, params, body }) => {
    const w = webhooks(ctx);
    const input = updateEndpointInput.parse({ ...body, description: body.description ?? undefined, endpointId: params.endpointId });
    await updateEndpoint(w, input);
    return { status: 200, body: await endpointBody(w, input.endpointId) };
  },
);

export const deleteWebhookEndpoint = managementRoute({ scope: "rotate" }, async ({ ctx, params }) => {
  const id = endpointId(params);
  await deleteEndpoint(webhooks(ctx), { endpointId: id });
  return { status: 200, body: { id, deleted: true } };
});

const switchEndpoint = (enabled: boolean) =>
  managementRoute({ scope: "rotate", idempotent: true }, async ({ ctx, params }) => {
    const w = webhooks(ctx);
    const id = endpointId(params);
    await setEndpointEnabled(w, { endpointId: id, enabled });
    return { status: 200, body: await endpointBody(w, id) };
  });
export const disableWebhookEndpoint = switchEndpoint(false);
export const enableWebhookEndpoint = switchEndpoint(true);

export const rotateWebhookSecretEndpoint = managementRoute(
  { scope: "rotate", body: rotateWebhookSecretBody, idempotent: true },
  async ({ ctx, params, body }) => {
    const { signingSecret, previousSecretUntil } = await rotateEndpointSecret(webhooks(ctx), {
      endpointId: endpointId(params),
      overlapHours: body.overlapHours,
    });
    const answer = { signingSecret, previousSecretSignsUntil: previousSecretUntil.toISOString() };
    return { status: 201, body: answer, replayBody: { ...answer, signingSecret: null } };
  },
);

export const testWebhookEndpoint = managementRoute({ scope: "rotate", idempotent: true }, async ({ ctx, params }) => ({
  status: 200,
  body: deliveryView(await sendTestEvent(webhooks(ctx), { endpointId: endpointId(params) })),
}));

export const listWebhookDeliveriesEndpoint = managementRoute({ scope: "read" }, async ({ ctx, params }) => {
  const { deliveries } = await readEndpoint(webhooks(ctx), { endpointId: endpointId(params) });
  return { status: 200, body: { deliveries: deliveries.map(deliveryView) } };
});

export const replayWebhookDeliveryEndpoint = managementRoute({ scope: "rotate", idempotent: true }, async ({ ctx, params }) => {
  const w = webhooks(ctx);
  const input = replayDeliveryInput.parse({ endpointId: params.endpointId, deliveryId: params.deliveryId });
  await replayDelivery(w, input);
  const { deliveries } = await readEndpoint(w, { endpointId: input.endpointId });
  const delivery = deliveries.find((d) => d.id === input.deliveryId);
  return { status: 200, body: delivery ? deliveryView(delivery) : null };
});
