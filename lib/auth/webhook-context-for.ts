import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { env } from "@/lib/env";
import { webhookLimits } from "@/lib/webhooks/policy";
import type { WebhookContext } from "@/lib/webhooks/webhook-context";
import type { Caller, OrganisationAccess } from "./caller";
import { organisationContextFor, platformContextFor } from "./organisation-context";

/** The context a signed-in person's server action hands to a webhook use case for an organisation. */
export async function organisationWebhookContextFor(access: OrganisationAccess): Promise<WebhookContext> {
  const e = env();
  return { ...(await organisationContextFor(access)), keyRing: loadKeyRing(e), limits: webhookLimits(e) };
}

/** The same for the platform operator's platform-wide endpoints. */
export async function platformWebhookContextFor(caller: Caller): Promise<WebhookContext> {
  const e = env();
  return { ...(await platformContextFor(caller)), keyRing: loadKeyRing(e), limits: webhookLimits(e) };
}
