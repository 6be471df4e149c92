import { auditActor } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { findEndpoint, rotateSigningSecret } from "@/lib/data/webhooks";
import { DomainError } from "@/lib/errors";
import { displayUrl } from "./display-url";
import type { RotateEndpointSecretInput } from "./schemas";
import { generateSigningSecret, sealSigningSecret } from "./signing";
import { ENDPOINT_NOT_FOUND } from "./update-endpoint";
import { authorizeWebhooks, authorizeWebhooksNow, ownerOf, type WebhookContext } from "./webhook-context";

/**
 * A new signing secret for an endpoint. The old one keeps signing for `overlapHours` (every
 * delivery carries both signatures meanwhile), so the receiver can move to the new secret without
 * refusing an event; 0 stops it at once (a leaked secret). Like a client secret's overlap
 * (docs/webhooks.md, "Rotating the signing secret").
 */
export async function rotateEndpointSecret(
  ctx: WebhookContext,
  input: RotateEndpointSecretInput,
): Promise<{ signingSecret: string; previousSecretUntil: Date }> {
  authorizeWebhooks(ctx);
  const signingSecret = generateSigningSecret();
  const sealed = sealSigningSecret(signingSecret, ctx.keyRing);
  return ctx.db.transaction(async (tx) => {
    await authorizeWebhooksNow(tx, ctx);
    const endpoint = await findEndpoint(tx, ownerOf(ctx), input.endpointId, true);
    if (!endpoint) throw new DomainError("not_found", ENDPOINT_NOT_FOUND);
    const now = ctx.clock();
    const previousSecretUntil = new Date(now.getTime() + input.overlapHours * 3_600_000);
    await rotateSigningSecret(tx, endpoint.id, sealed, now, previousSecretUntil);
    await recordEvent(tx, {
      organisationId: ownerOf(ctx),
      actor: auditActor(ctx.actor),
      action: "webhook.secret_rotated",
      target: { type: "webhook_endpoint", id: endpoint.id },
      metadata: { url: displayUrl(endpoint.url), maskedTail: sealed.maskedTail, previousSecretUntil: previousSecretUntil.toISOString() },
      ip: ctx.actor.ip,
      userAgent: ctx.actor.userAgent,
    });
    return { signingSecret, previousSecretUntil };
  });
}
