import type { Executor } from "@/db/client";
import {
  authorize,
  authorizeNow,
  authorizeOperator,
  authorizeOperatorNow,
  type OrganisationContext,
  type PlatformContext,
} from "@/lib/context";
import type { KeyRing } from "@/lib/crypto/encryption";
import type { WebhookOwnerId } from "@/lib/data/webhooks";
import type { OutboundLimits } from "@/lib/http/outbound";

/**
 * A webhook use case acts for an organisation (its admins and designated user, "webhooks.manage")
 * or for the platform (an operator: endpoints told about every organisation). The same use cases
 * serve both; whose endpoints they touch follows from the context, never from the input.
 */
export type WebhookContext = (OrganisationContext | PlatformContext) & {
  keyRing: KeyRing;
  /** Where deliveries may go (lib/webhooks/policy.ts, webhookLimits): checked when an address is given. */
  limits: OutboundLimits;
};

export function ownerOf(ctx: WebhookContext): WebhookOwnerId {
  return "organisation" in ctx ? ctx.organisation.id : null;
}

/** Before anything is read. */
export function authorizeWebhooks(ctx: WebhookContext): void {
  if ("organisation" in ctx) authorize(ctx, "webhooks.manage");
  else authorizeOperator(ctx);
}

/** Again, inside the change's transaction, on the caller's role (or place among operators) as it is now. */
export async function authorizeWebhooksNow(tx: Executor, ctx: WebhookContext): Promise<void> {
  if ("organisation" in ctx) await authorizeNow(tx, ctx, "webhooks.manage");
  else await authorizeOperatorNow(tx, ctx);
}
