import { auditActor } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { disableEndpoint, enableEndpoint, findEndpoint } from "@/lib/data/webhooks";
import { DomainError } from "@/lib/errors";
import { displayUrl } from "./display-url";
import { ENDPOINT_NOT_FOUND } from "./update-endpoint";
import { authorizeWebhooks, authorizeWebhooksNow, ownerOf, type WebhookContext } from "./webhook-context";

/**
 * Turns an endpoint off (events recorded meanwhile are not sent to it; what already waits, waits)
 * or back on (its failure record cleared, what waits sent at the next delivery).
 */
export async function setEndpointEnabled(ctx: WebhookContext, input: { endpointId: string; enabled: boolean }): Promise<void> {
  authorizeWebhooks(ctx);
  await ctx.db.transaction(async (tx) => {
    await authorizeWebhooksNow(tx, ctx);
    const endpoint = await findEndpoint(tx, ownerOf(ctx), input.endpointId, true);
    if (!endpoint) throw new DomainError("not_found", ENDPOINT_NOT_FOUND);
    if ((endpoint.disabledAt === null) === input.enabled) return;
    const now = ctx.clock();
    if (input.enabled) await enableEndpoint(tx, endpoint.id, now);
    else await disableEndpoint(tx, endpoint.id, now, "person");
    await recordEvent(tx, {
      organisationId: ownerOf(ctx),
      actor: auditActor(ctx.actor),
      action: input.enabled ? "webhook.enabled" : "webhook.disabled",
      target: { type: "webhook_endpoint", id: endpoint.id },
      metadata: { url: displayUrl(endpoint.url) },
      ip: ctx.actor.ip,
      userAgent: ctx.actor.userAgent,
    });
  });
}
