/**
 * The events Rotor sends to webhook endpoints (docs/webhooks.md, "Event catalogue"). The database
 * refuses an endpoint subscribed to any other name (webhook_endpoint_known_events), and writes the
 * events itself when the change they report is recorded (migration 0023_webhooks).
 */
export const WEBHOOK_EVENT_TYPES = [
  "secret.issued",
  "secret.expiring",
  "secret.expired",
  "secret.revoked",
  "old_secret.still_in_use",
  "key.registered",
  "key.expiring",
  "key.expired",
  "key.revoked",
  "client.changed",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent to one endpoint when a person asks, never to subscribers. */
export const TEST_EVENT_TYPE = "webhook.test";

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
