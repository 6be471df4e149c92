import type { WebhookEventType } from "@/lib/webhooks/event-types";

/** One line per event, for the endpoint form's checkboxes (the catalogue: lib/webhooks/event-types.ts). */
export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  "secret.issued": "A client got a new secret (a rotation, after a compromise, or issued automatically).",
  "secret.expiring": "A client's secret expires soon: sent on the organisation's reminder days.",
  "secret.expired": "A client's secret expired and is refused from now on.",
  "secret.revoked": "A client's secret was revoked before its expiry.",
  "old_secret.still_in_use": "A secret that a newer one replaces is still being used within days of its expiry.",
  "key.registered": "A public key was registered for a client (private_key_jwt).",
  "key.expiring": "A client's public key expires soon: sent on the organisation's reminder days.",
  "key.expired": "A client's public key expired and its assertions are refused.",
  "key.revoked": "A client's public key was revoked.",
  "client.changed": "A client's settings or JWKS URL changed, or it was disabled or enabled.",
};
