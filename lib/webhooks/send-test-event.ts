import type { DeliveryView } from "@/lib/data/webhooks";
import { findEndpoint, insertTestEvent, listDeliveries } from "@/lib/data/webhooks";
import { DomainError } from "@/lib/errors";
import { deliverWebhook } from "./deliver";
import { TEST_EVENT_TYPE } from "./event-types";
import { ENDPOINT_NOT_FOUND } from "./update-endpoint";
import { authorizeWebhooks, authorizeWebhooksNow, ownerOf, type WebhookContext } from "./webhook-context";

/**
 * Sends a `webhook.test` event to one endpoint now, signed like any other, and answers with how it
 * went (status code, latency, the receiver's error): the way to check a receiver before relying on
 * it. Tried once; it never counts against the endpoint.
 */
export async function sendTestEvent(ctx: WebhookContext, input: { endpointId: string }): Promise<DeliveryView> {
  authorizeWebhooks(ctx);
  const now = ctx.clock();
  const deliveryId = await ctx.db.transaction(async (tx) => {
    await authorizeWebhooksNow(tx, ctx);
    const endpoint = await findEndpoint(tx, ownerOf(ctx), input.endpointId, true);
    if (!endpoint) throw new DomainError("not_found", ENDPOINT_NOT_FOUND);
    if (endpoint.disabledAt) throw new DomainError("conflict", "This endpoint is turned off. Turn it on to send it a test event.");
    const payload = {
      type: TEST_EVENT_TYPE,
      timestamp: now.toISOString(),
      data: { endpointId: endpoint.id, message: "A test event from Rotor: the endpoint is reachable and can verify the signature." },
    };
    return insertTestEvent(tx, { id: endpoint.id, organisationId: endpoint.organisationId }, payload, now);
  });
  await deliverWebhook(ctx.db, ctx.keyRing, deliveryId, { now, limits: ctx.limits });
  const [delivery] = (await listDeliveries(ctx.db, input.endpointId, 20)).filter((d) => d.id === deliveryId);
  if (!delivery) throw new DomainError("not_found", ENDPOINT_NOT_FOUND);
  return delivery;
}
