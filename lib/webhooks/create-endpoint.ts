import { randomUUID } from "node:crypto";
import { auditActor } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { insertEndpoint, type WebhookEndpointRow } from "@/lib/data/webhooks";
import { displayUrl } from "./display-url";
import { checkEndpointAddress } from "./endpoint-address";
import type { EndpointFields } from "./schemas";
import { generateSigningSecret, sealSigningSecret } from "./signing";
import { authorizeWebhooks, authorizeWebhooksNow, ownerOf, type WebhookContext } from "./webhook-context";

export interface CreatedEndpoint {
  endpoint: WebhookEndpointRow;
  /** The signing secret, shown in this answer only (whsec_…); Rotor keeps it encrypted to sign with. */
  signingSecret: string;
}

/** Registers an endpoint for the chosen events, with its first signing secret (docs/webhooks.md). */
export async function createEndpoint(ctx: WebhookContext, input: EndpointFields): Promise<CreatedEndpoint> {
  authorizeWebhooks(ctx);
  const url = await checkEndpointAddress(ctx, input.url);
  const signingSecret = generateSigningSecret();
  const sealed = sealSigningSecret(signingSecret, ctx.keyRing);
  const endpoint = await ctx.db.transaction(async (tx) => {
    await authorizeWebhooksNow(tx, ctx);
    const row = await insertEndpoint(
      tx,
      {
        id: randomUUID(),
        organisationId: ownerOf(ctx),
        url,
        description: input.description,
        eventTypes: input.eventTypes,
        createdByUserId: ctx.actor.userId,
        createdAt: ctx.clock(),
      },
      sealed,
    );
    await recordEvent(tx, {
      organisationId: ownerOf(ctx),
      actor: auditActor(ctx.actor),
      action: "webhook.created",
      target: { type: "webhook_endpoint", id: row.id },
      metadata: { url: displayUrl(url), eventTypes: input.eventTypes },
      ip: ctx.actor.ip,
      userAgent: ctx.actor.userAgent,
    });
    return row;
  });
  return { endpoint, signingSecret };
}
