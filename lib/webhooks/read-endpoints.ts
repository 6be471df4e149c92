import {
  type DeliveryView,
  type EndpointSummary,
  findEndpoint,
  listDeliveries,
  listEndpoints,
  signingSecretsOf,
  type WebhookEndpointRow,
} from "@/lib/data/webhooks";
import { DomainError } from "@/lib/errors";
import { ENDPOINT_NOT_FOUND } from "./update-endpoint";
import { authorizeWebhooks, ownerOf, type WebhookContext } from "./webhook-context";

/** What the pages show, as the use cases answer it (components take these, never the data layer's module). */
export type { DeliveryView, EndpointSummary, WebhookEndpointRow };

/** The caller's endpoints: the organisation's, or the platform's. */
export async function readEndpoints(ctx: WebhookContext): Promise<EndpointSummary[]> {
  authorizeWebhooks(ctx);
  return listEndpoints(ctx.db, ownerOf(ctx));
}

/** How many recent deliveries an endpoint's page lists. */
export const RECENT_DELIVERIES = 50;

export interface EndpointDetail {
  endpoint: NonNullable<Awaited<ReturnType<typeof findEndpoint>>>;
  /** The signing secrets in use, newest first: the current one, and one still in its overlap. */
  secrets: { maskedTail: string; createdAt: Date; expiresAt: Date | null }[];
  deliveries: DeliveryView[];
}

export async function readEndpoint(ctx: WebhookContext, input: { endpointId: string }): Promise<EndpointDetail> {
  authorizeWebhooks(ctx);
  const endpoint = await findEndpoint(ctx.db, ownerOf(ctx), input.endpointId);
  if (!endpoint) throw new DomainError("not_found", ENDPOINT_NOT_FOUND);
  const [secrets, deliveries] = await Promise.all([
    signingSecretsOf(ctx.db, [endpoint.id], ctx.clock()),
    listDeliveries(ctx.db, endpoint.id, RECENT_DELIVERIES),
  ]);
  return {
    endpoint,
    secrets: secrets.map((s) => ({ maskedTail: s.maskedTail, createdAt: s.createdAt, expiresAt: s.expiresAt })),
    deliveries,
  };
}
