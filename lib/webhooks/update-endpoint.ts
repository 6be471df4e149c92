import { auditActor } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { findEndpoint, updateEndpoint as update } from "@/lib/data/webhooks";
import { DomainError } from "@/lib/errors";
import { displayUrl } from "./display-url";
import { checkEndpointAddress } from "./endpoint-address";
import type { UpdateEndpointInput } from "./schemas";
import { authorizeWebhooks, authorizeWebhooksNow, ownerOf, type WebhookContext } from "./webhook-context";

export const ENDPOINT_NOT_FOUND = "There is no such webhook endpoint here. It may have been deleted.";

/** Changes an endpoint's address, description or events; what is already waiting still goes out. */
export async function updateEndpoint(ctx: WebhookContext, input: UpdateEndpointInput): Promise<void> {
  authorizeWebhooks(ctx);
  const url = await checkEndpointAddress(ctx, input.url);
  await ctx.db.transaction(async (tx) => {
    await authorizeWebhooksNow(tx, ctx);
    const endpoint = await findEndpoint(tx, ownerOf(ctx), input.endpointId, true);
    if (!endpoint) throw new DomainError("not_found", ENDPOINT_NOT_FOUND);
    const after = { url, description: input.description, eventTypes: input.eventTypes };
    await update(tx, endpoint.id, after);
    const shown = (e: { url: string; description: string | null; eventTypes: string[] }) => ({ ...e, url: displayUrl(e.url) });
    await recordEvent(tx, {
      organisationId: ownerOf(ctx),
      actor: auditActor(ctx.actor),
      action: "webhook.updated",
      target: { type: "webhook_endpoint", id: endpoint.id },
      metadata: {
        url: displayUrl(url),
        before: shown({ url: endpoint.url, description: endpoint.description, eventTypes: endpoint.eventTypes }),
        after: shown(after),
      },
      ip: ctx.actor.ip,
      userAgent: ctx.actor.userAgent,
    });
  });
}
