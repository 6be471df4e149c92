import { auditActor } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { findEndpoint, deleteEndpoint as remove } from "@/lib/data/webhooks";
import { DomainError } from "@/lib/errors";
import { displayUrl } from "./display-url";
import { ENDPOINT_NOT_FOUND } from "./update-endpoint";
import { authorizeWebhooks, authorizeWebhooksNow, ownerOf, type WebhookContext } from "./webhook-context";

/** Deletes an endpoint with its signing secrets and deliveries: nothing more is sent to it. */
export async function deleteEndpoint(ctx: WebhookContext, input: { endpointId: string }): Promise<{ url: string }> {
  authorizeWebhooks(ctx);
  return ctx.db.transaction(async (tx) => {
    await authorizeWebhooksNow(tx, ctx);
    const endpoint = await findEndpoint(tx, ownerOf(ctx), input.endpointId, true);
    if (!endpoint) throw new DomainError("not_found", ENDPOINT_NOT_FOUND);
    await remove(tx, endpoint.id);
    await recordEvent(tx, {
      organisationId: ownerOf(ctx),
      actor: auditActor(ctx.actor),
      action: "webhook.deleted",
      target: { type: "webhook_endpoint", id: endpoint.id },
      metadata: { url: displayUrl(endpoint.url) },
      ip: ctx.actor.ip,
      userAgent: ctx.actor.userAgent,
    });
    return { url: endpoint.url };
  });
}
