import { z } from "zod";
import { credentialLabelField, oldSecretChoiceShape, requireLastDayForUntil, revokeSecretInput } from "@/lib/credentials/schemas";
import { storableText, textField } from "@/lib/text-field";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";
import { DEFAULT_SECRET_OVERLAP_HOURS } from "@/lib/webhooks/policy";
import { endpointUrlField, rotateEndpointSecretInput } from "@/lib/webhooks/schemas";

/** Response shapes of the management API, also the source of its OpenAPI document. */

export const clientDto = z
  .object({
    clientId: z.string(),
    name: z.string(),
    scopes: z.array(z.string()),
    audiences: z.array(z.string()),
    defaultAudience: z
      .string()
      .nullable()
      .describe(
        "The audience of a token request that names none; null when the client has no audiences: the platform's own API, <issuer>/api/v1",
      ),
    accessTokenLifetimeSeconds: z.int(),
    accessTokenAlg: z.enum(["ES256", "RS256"]),
    legacyAudience: z.boolean().describe("Whether a private_key_jwt assertion's aud may also be the token endpoint URL"),
    disabledAt: z.iso
      .datetime()
      .nullable()
      .describe(
        "Since when the token endpoint refuses the client (invalid_client); null while enabled. Read-only: the platform operator changes it",
      ),
  })
  .meta({ id: "Client" });

export const secretDto = z
  .object({
    id: z.uuid(),
    maskedValue: z.string().describe("The last characters only"),
    label: z.string().nullable().describe("The organisation's name for it, if any"),
    state: z.enum(["active", "expiring", "in_overlap", "expired", "revoked"]),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().describe("The first instant the secret is no longer accepted"),
    expiresOn: z.iso.date().describe("The last calendar day it is accepted, in the organisation's time zone"),
    daysLeft: z.int(),
    lastUsedAt: z.iso.datetime().nullable(),
    issuedBy: z.string(),
  })
  .meta({ id: "Secret" });

export const newSecretDto = z
  .object({
    secret: secretDto,
    value: z
      .string()
      .nullable()
      .describe("The new secret, shown in this response only. Null in a replay (same Idempotency-Key) under the show-once policy."),
    valueShownOnce: z.string().optional().describe("In a show-once replay: why the value is absent and what to do"),
    revokedSecretIds: z.array(z.uuid()),
    previousSecretAcceptedUntil: z.iso.datetime().nullable(),
  })
  .meta({ id: "NewSecret" });

export const secretValueDto = z.object({ value: z.string() }).meta({ id: "SecretValue" });

export const publicKeyDto = z
  .object({
    id: z.uuid(),
    kid: z.string(),
    label: z.string().nullable().describe("The organisation's name for it, if any"),
    alg: z.string().describe("What its assertions are signed with: RS256 (an RSA key also verifies PS256), PS256, or ES256"),
    type: z.enum(["RSA", "EC"]).describe("RSA, or EC on the P-256 curve (ES256)"),
    bits: z.int().describe("The RSA modulus length, or 256 for an EC P-256 key"),
    thumbprint: z.string(),
    state: z.enum(["active", "expiring", "expired", "revoked"]),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "PublicKey" });

export const revokedDto = z.object({ revokedAt: z.iso.datetime() }).meta({ id: "Revoked" });

export const problemDto = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem" });

/** Bodies the API accepts (the path carries the client and credential ids). */
export const rotateBody = z
  .object({ label: credentialLabelField, ...oldSecretChoiceShape })
  .superRefine(requireLastDayForUntil)
  .meta({ id: "RotateRequest" });
export const revokeSecretBody = revokeSecretInput.pick({ reason: true, confirmClientId: true }).meta({ id: "RevokeSecretRequest" });
export const registerKeyBody = z
  .object({
    key: textField({
      required: "Send the public key in PEM or JWK format.",
      max: 20_000,
      tooLong: "That is far too long for a public key.",
      trim: false,
    }).describe("An RSA public key (2048 to 4096 bits) or an EC public key on the P-256 curve (for ES256), as PEM or JWK JSON text"),
    kid: storableText().optional(),
    expiresOn: z.iso.date().optional().describe("Last day accepted, organisation's time zone"),
    label: credentialLabelField,
  })
  .meta({ id: "RegisterKeyRequest" });

export const jwksUriBody = z
  .object({
    jwksUri: textField({
      required: "Send the JWKS URL, or null to remove it.",
      max: 2000,
      tooLong: "A JWKS URL is at most 2,000 characters.",
    })
      .nullable()
      .describe("Where the client publishes its public keys as a JWK Set (https), or null to stop using one"),
  })
  .meta({ id: "JwksUriRequest" });
export const jwksUriDto = z.object({ jwksUri: z.string().nullable() }).meta({ id: "JwksUri" });

/*
 * The platform operator's bodies. They describe the JSON the API takes; each endpoint then parses
 * it with the very schema the portal and the CLI use (lib/organisations/schemas.ts,
 * lib/clients/schemas.ts), so the rules and their messages are one.
 */
const clientSettingsFields = {
  scopes: z.array(z.string()).describe("Scopes the client may ask for (printable, no spaces or quotes; at most 50)"),
  audiences: z
    .array(z.string())
    .describe("APIs the client may ask a token for: absolute URIs without a fragment, within the platform's allowed audiences"),
  defaultAudience: z.string().describe("One of the audiences: what a token request that names none gets. Required when there are several"),
  tokenTtlSeconds: z.int().describe("The access-token lifetime, 60 to 86400 seconds"),
  accessTokenAlg: z.enum(["ES256", "RS256"]).describe("What the platform signs the client's access tokens with"),
  legacyAudience: z.boolean().describe("Whether a private_key_jwt assertion's aud may also be the token endpoint URL"),
};

export const createClientBody = z
  .strictObject({
    name: z.string().describe("What the organisation and the operator call it (at most 200 characters)"),
    ...z.object(clientSettingsFields).partial().shape,
  })
  .meta({ id: "CreateClientRequest" });

export const clientSettingsBody = z
  .strictObject(clientSettingsFields)
  .partial()
  .meta({ id: "ClientSettingsRequest", description: "Only the settings to change; one left out stays as it is" });

/** One audit event (docs/domain.md, "The audit log"); never a secret value. */
export const auditEventDto = z
  .object({
    id: z.string().describe("The event's id; with occurredAt, its place in the order"),
    occurredAt: z.iso.datetime(),
    organisation: z.object({ slug: z.string(), name: z.string() }).nullable(),
    actor: z.object({
      label: z.string().describe('Who acted: an e-mail, "someone@example.com (API token "name")", "CLI", "Scheduler"'),
      type: z.enum(["user", "api_token", "cli", "system"]),
    }),
    source: z.enum(["portal", "api", "cli", "scheduler"]),
    action: z.string().describe("The catalogue's action, like secret.rotated"),
    description: z.string().describe("What happened in plain words, following the actor"),
    target: z
      .object({
        type: z.string(),
        id: z.string(),
        name: z
          .string()
          .describe("The client's name, a secret by tail and label, a key by kid, a person, an office; the id where no name is known"),
      })
      .nullable(),
    changes: z
      .array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() }))
      .describe("For settings changes, each changed field as it was and as it became"),
    clientAddress: z.string().nullable(),
  })
  .meta({ id: "AuditEvent" });

export const auditEventPageDto = z
  .object({
    events: z.array(auditEventDto).describe("Newest first"),
    nextCursor: z.string().nullable().describe("Pass as cursor for the next, older page; null on the last page"),
  })
  .meta({ id: "AuditEventPage" });

// --- webhooks (docs/webhooks.md) --------------------------------------------------------------

export const webhookEndpointDto = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    enabled: z.boolean(),
    disabledAt: z.iso.datetime().nullable(),
    disabledReason: z
      .enum(["person", "failing"])
      .nullable()
      .describe("person: turned off by someone; failing: turned off by Rotor after failing every attempt for a day"),
    failingSince: z.iso.datetime().nullable().describe("The first failed attempt since the last success; null while it answers"),
    consecutiveFailures: z.int(),
    createdAt: z.iso.datetime(),
    signingSecrets: z
      .array(
        z.object({
          maskedValue: z.string().describe("The last characters only"),
          createdAt: z.iso.datetime(),
          signsUntil: z.iso.datetime().nullable().describe("Null for the current secret; a rotated-out one signs until then"),
        }),
      )
      .describe("The secrets that sign deliveries now, newest first"),
  })
  .meta({ id: "WebhookEndpoint" });

export const webhookDeliveryDto = z
  .object({
    id: z.uuid(),
    eventId: z.uuid().describe("The webhook-id header of every attempt"),
    eventType: z.string(),
    occurredAt: z.iso.datetime(),
    status: z.enum(["pending", "sent", "dead"]).describe("pending: waiting or retrying; sent: a 2xx answer; dead: given up"),
    attempts: z.int(),
    nextAttemptAt: z.iso.datetime().nullable().describe("While pending"),
    lastAttemptAt: z.iso.datetime().nullable(),
    lastStatusCode: z.int().nullable(),
    lastLatencyMs: z.int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "WebhookDelivery" });

/** The body as sent; lib/webhooks/schemas.ts's endpointFields then normalises it (an empty description is none). */
export const webhookEndpointBody = z
  .object({
    url: endpointUrlField.describe("https:// and, in production, a public address"),
    description: storableText()
      .trim()
      .max(200, { error: "Keep the description to 200 characters." })
      .nullable()
      .optional()
      .describe("What it is for, up to 200 characters"),
    eventTypes: z
      .array(z.enum(WEBHOOK_EVENT_TYPES, { error: "That is not an event Rotor sends." }))
      .min(1, { error: "Choose at least one event to send." })
      .describe("The events to send (docs/webhooks.md, the event catalogue)"),
  })
  .strict()
  .meta({ id: "WebhookEndpointRequest" });

export const newWebhookEndpointDto = z
  .object({
    endpoint: webhookEndpointDto,
    signingSecret: z
      .string()
      .nullable()
      .describe("whsec_…, shown in this response only. Null in a replay (same Idempotency-Key): rotate the secret if it was lost."),
  })
  .meta({ id: "NewWebhookEndpoint" });

export const rotateWebhookSecretBody = z
  .object({ overlapHours: rotateEndpointSecretInput.shape.overlapHours.default(DEFAULT_SECRET_OVERLAP_HOURS) })
  .strict()
  .meta({ id: "RotateWebhookSecretRequest" });

export const newWebhookSecretDto = z
  .object({
    signingSecret: z.string().nullable().describe("whsec_…, shown in this response only; null in a replay"),
    previousSecretSignsUntil: z.iso.datetime(),
  })
  .meta({ id: "NewWebhookSecret" });
