import { findEndpoint, replayDelivery as replay } from "@/lib/data/webhooks";
import { DomainError } from "@/lib/errors";
import { deliverWebhook } from "./deliver";
import { ENDPOINT_NOT_FOUND } from "./update-endpoint";
import { authorizeWebhooks, authorizeWebhooksNow, ownerOf, type WebhookContext } from "./webhook-context";

/**
 * Sends one delivery again now, whatever became of it (delivered, given up on, waiting): the same
 * event with the same webhook-id, so a receiver that already has it can tell (docs/webhooks.md).
 * If this attempt fails, it is retried like a new delivery.
 */
export async function replayDelivery(
  ctx: WebhookContext,
  input: { endpointId: string; deliveryId: string },
): Promise<"sent" | "retrying" | "dead" | "not_due"> {
  authorizeWebhooks(ctx);
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    await authorizeWebhooksNow(tx, ctx);
    const endpoint = await findEndpoint(tx, ownerOf(ctx), input.endpointId, true);
    if (!endpoint) throw new DomainError("not_found", ENDPOINT_NOT_FOUND);
    if (endpoint.disabledAt) throw new DomainError("conflict", "This endpoint is turned off. Turn it on to send events to it again.");
    if (!(await replay(tx, endpoint.id, input.deliveryId, now))) {
      throw new DomainError("not_found", "There is no such delivery for this endpoint. It may be older than the log keeps.");
    }
  });
  return deliverWebhook(ctx.db, ctx.keyRing, input.deliveryId, { now, limits: ctx.limits });
}
