import { z } from "zod";
import { AUDIT_ACTOR_TYPES, AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX } from "@/lib/audit/schemas";
import { AUDIT_ACTIONS } from "@/lib/data/audit";
import { AUDIT_TARGET_TYPES } from "@/lib/data/audit-search";
import "./dto";

/**
 * The management API's OpenAPI 3.1 document, generated from the same zod schemas the handlers
 * validate with and answer in (dto.ts), so the description cannot drift from the behaviour.
 */

const query = (name: string, description: string, schema: object) => ({ name, in: "query", required: false, description, schema });
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (schema: object, description: string) => ({ description, content: { "application/json": { schema } } });
const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/Problem${s}` }]));
const PROBLEM_TEXT: Record<number, string> = {
  400: "Malformed request (invalid JSON, bad Idempotency-Key)",
  401: "Missing, invalid, expired or revoked personal API token",
  403: "The token's scope does not allow this (a read-only token asked to change something; an organisation's token at an operator's endpoint, or a platform token at an organisation's), or its owner's role does not",
  404: "No such organisation, or no such client or credential in it",
  409: "Refused by a rotation rule (two live secrets, last live secret, two active keys), a client already disabled or enabled, or a request in progress",
  410: "The secret cannot be shown (show-once policy, revoked or expired)",
  422: "Invalid fields or query parameters, or an Idempotency-Key reused for a different request",
};

/** The audit log's filters and paging, the same at both endpoints (lib/audit/schemas.ts). */
const auditParameters = [
  query("from", "Events at or after this instant", { type: "string", format: "date-time" }),
  query("to", "Events before this instant", { type: "string", format: "date-time" }),
  query("actor", "Part of the actor's label (an e-mail, CLI, Scheduler), case-insensitive", { type: "string", maxLength: 200 }),
  query("actorType", "The kind of actor", { type: "string", enum: [...AUDIT_ACTOR_TYPES] }),
  query("action", "One action of the catalogue", { type: "string", enum: [...AUDIT_ACTIONS] }),
  query("targetType", "The kind of target", { type: "string", enum: [...AUDIT_TARGET_TYPES] }),
  query("target", "The target's id, or part of its name (client, person, office, secret label or tail, key id)", {
    type: "string",
    maxLength: 200,
  }),
  query("limit", `Events per page (default ${AUDIT_PAGE_DEFAULT})`, { type: "integer", minimum: 1, maximum: AUDIT_PAGE_MAX }),
  query("cursor", "nextCursor from the previous page", { type: "string" }),
];

function componentSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { uri: (id) => `#/components/schemas/${id}`, io: "output" }) as {
    schemas: Record<string, Record<string, unknown>>;
  };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _s, $id: _i, ...rest } = schema;
      return [id, rest];
    }),
  );
}

export function buildOpenApiDocument(publicUrl: string) {
  const clientId = { $ref: "#/components/parameters/clientId" };
  const organisation = { $ref: "#/components/parameters/organisation" };
  const operatorOnly = [{ personalToken: ["platform"] }];
  const idempotencyKey = { $ref: "#/components/parameters/idempotencyKey" };
  const endpointId = { name: "endpointId", in: "path", required: true, schema: { type: "string", format: "uuid" } };
  return {
    openapi: "3.1.0",
    info: {
      title: "Rotor management API",
      version: "1.0.0",
      description:
        "For the organisation's designated user (SPOC) to automate secret rotation and key registration (Secret Read and Secret Reset), and for the platform operator to create and configure organisations' clients and to read the audit log across organisations. Authenticate with a personal API token. A designated user's token, from Account Management, has the scope chosen when it was made: `read` (list and read) or `rotate` (read, and also rotate, revoke and register keys), and stops working when its owner stops being the designated user. A platform operator's token, from the Platform area or `rotor operator token`, has the scope `platform`: it serves only the endpoints under /organisations, in any organisation, and /platform, and stops working when its owner stops being a platform operator. Errors are RFC 9457 problem details.",
    },
    servers: [{ url: `${publicUrl}/api/v1` }],
    security: [{ personalToken: [] }],
    paths: {
      "/clients": {
        get: {
          operationId: "listClients",
          security: [{ personalToken: ["read"] }],
          summary: "List your organisation's clients",
          description:
            "Each client with its settings, read-only: scopes, audiences and the default one, access-token lifetime and algorithm, the legacy aud switch, and since when it is disabled. The platform operator changes them (portal, CLI, or the endpoints under /organisations with a platform token).",
          responses: {
            "200": json(
              { type: "object", properties: { clients: { type: "array", items: ref("Client") } }, required: ["clients"] },
              "The clients",
            ),
            ...problems(401, 403),
          },
        },
      },
      "/clients/{clientId}/secrets": {
        parameters: [clientId],
        get: {
          operationId: "listSecrets",
          security: [{ personalToken: ["read"] }],
          summary: "Read a client's secrets (metadata, masked)",
          responses: {
            "200": json(
              { type: "object", properties: { secrets: { type: "array", items: ref("Secret") } }, required: ["secrets"] },
              "Newest first",
            ),
            ...problems(401, 403, 404),
          },
        },
        post: {
          operationId: "rotateSecret",
          security: [{ personalToken: ["rotate"] }],
          summary: "Reset (rotate) the client's secret",
          description:
            "Issues a new secret. The old one stays accepted for the overlap window; with compromised=true every live secret is revoked at once. Never more than two live secrets.",
          parameters: [idempotencyKey],
          requestBody: { required: false, content: { "application/json": { schema: ref("RotateRequest") } } },
          responses: {
            "201": json(ref("NewSecret"), "The new secret, its value shown in this response only"),
            ...problems(400, 401, 403, 404, 409, 422),
          },
        },
      },
      "/clients/{clientId}/secrets/{secretId}/value": {
        parameters: [clientId, { $ref: "#/components/parameters/secretId" }],
        get: {
          operationId: "revealSecret",
          security: [{ personalToken: ["read"] }],
          summary: "Read a live secret's value (where the organisation allows reveal; audited)",
          responses: { "200": json(ref("SecretValue"), "The value"), ...problems(401, 403, 404, 409, 410) },
        },
      },
      "/clients/{clientId}/secrets/{secretId}/revoke": {
        parameters: [clientId, { $ref: "#/components/parameters/secretId" }],
        post: {
          operationId: "revokeSecret",
          security: [{ personalToken: ["rotate"] }],
          summary: "Revoke a secret now (never the last live one)",
          parameters: [idempotencyKey],
          requestBody: { required: false, content: { "application/json": { schema: ref("RevokeSecretRequest") } } },
          responses: { "200": json(ref("Revoked"), "Revoked"), ...problems(400, 401, 403, 404, 409, 422) },
        },
      },
      "/clients/{clientId}/keys": {
        parameters: [clientId],
        get: {
          operationId: "listKeys",
          security: [{ personalToken: ["read"] }],
          summary: "List the client's public keys for private_key_jwt",
          responses: {
            "200": json(
              { type: "object", properties: { keys: { type: "array", items: ref("PublicKey") } }, required: ["keys"] },
              "Newest first",
            ),
            ...problems(401, 403, 404),
          },
        },
        post: {
          operationId: "registerKey",
          security: [{ personalToken: ["rotate"] }],
          summary: "Register an RSA public key (at most two active)",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: ref("RegisterKeyRequest") } } },
          responses: { "201": json(ref("PublicKey"), "The registered key"), ...problems(400, 401, 403, 404, 409, 422) },
        },
      },
      "/clients/{clientId}/jwks-uri": {
        parameters: [clientId],
        put: {
          operationId: "setJwksUri",
          security: [{ personalToken: ["rotate"] }],
          summary:
            "Set or remove the URL where the client publishes its public keys (JWK Set); its keys are used beside the registered ones",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: ref("JwksUriRequest") } } },
          responses: { "200": json(ref("JwksUri"), "The client's JWKS URL now"), ...problems(400, 401, 403, 404, 422) },
        },
      },
      "/clients/{clientId}/keys/{keyId}/revoke": {
        parameters: [clientId, { $ref: "#/components/parameters/keyId" }],
        post: {
          operationId: "revokeKey",
          security: [{ personalToken: ["rotate"] }],
          summary: "Revoke a public key now",
          parameters: [idempotencyKey],
          responses: { "200": json(ref("Revoked"), "Revoked"), ...problems(400, 401, 403, 404, 409, 422) },
        },
      },
      "/audit-events": {
        get: {
          operationId: "listAuditEvents",
          security: [{ personalToken: ["read"] }],
          summary: "Search your organisation's audit log",
          description:
            "Newest first, a page at a time: pass nextCursor as cursor for the next page until it is null. Filters combine; a bad value is a 422 naming the parameter. Events never hold a secret, token, sign-in link or private key.",
          parameters: auditParameters,
          responses: { "200": json(ref("AuditEventPage"), "One page of events"), ...problems(401, 403, 422) },
        },
      },
      "/webhooks": {
        get: {
          operationId: "listWebhooks",
          security: [{ personalToken: ["read"] }],
          summary: "List the organisation's webhook endpoints (docs/webhooks.md)",
          responses: {
            "200": json(
              { type: "object", properties: { endpoints: { type: "array", items: ref("WebhookEndpoint") } }, required: ["endpoints"] },
              "Oldest first",
            ),
            ...problems(401, 403),
          },
        },
        post: {
          operationId: "createWebhook",
          security: [{ personalToken: ["rotate"] }],
          summary: "Register an endpoint for the chosen events; its signing secret is in this response only",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: ref("WebhookEndpointRequest") } } },
          responses: { "201": json(ref("NewWebhookEndpoint"), "The endpoint and its signing secret"), ...problems(400, 401, 403, 422) },
        },
      },
      "/webhooks/{endpointId}": {
        parameters: [endpointId],
        get: {
          operationId: "readWebhook",
          security: [{ personalToken: ["read"] }],
          summary: "Read an endpoint",
          responses: { "200": json(ref("WebhookEndpoint"), "The endpoint"), ...problems(401, 403, 404, 422) },
        },
        put: {
          operationId: "updateWebhook",
          security: [{ personalToken: ["rotate"] }],
          summary: "Change an endpoint's URL, description or events",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: ref("WebhookEndpointRequest") } } },
          responses: { "200": json(ref("WebhookEndpoint"), "The endpoint now"), ...problems(400, 401, 403, 404, 422) },
        },
        delete: {
          operationId: "deleteWebhook",
          security: [{ personalToken: ["rotate"] }],
          summary: "Delete an endpoint with its signing secrets and deliveries",
          responses: {
            "200": json(
              {
                type: "object",
                properties: { id: { type: "string", format: "uuid" }, deleted: { const: true } },
                required: ["id", "deleted"],
              },
              "Deleted",
            ),
            ...problems(401, 403, 404, 422),
          },
        },
      },
      "/webhooks/{endpointId}/disable": {
        parameters: [endpointId],
        post: {
          operationId: "disableWebhook",
          security: [{ personalToken: ["rotate"] }],
          summary: "Turn an endpoint off: events recorded meanwhile are not sent to it",
          parameters: [idempotencyKey],
          responses: { "200": json(ref("WebhookEndpoint"), "The endpoint, enabled false"), ...problems(400, 401, 403, 404, 422) },
        },
      },
      "/webhooks/{endpointId}/enable": {
        parameters: [endpointId],
        post: {
          operationId: "enableWebhook",
          security: [{ personalToken: ["rotate"] }],
          summary: "Turn an endpoint back on: what waits for it is sent at once",
          parameters: [idempotencyKey],
          responses: { "200": json(ref("WebhookEndpoint"), "The endpoint, enabled true"), ...problems(400, 401, 403, 404, 422) },
        },
      },
      "/webhooks/{endpointId}/rotate-secret": {
        parameters: [endpointId],
        post: {
          operationId: "rotateWebhookSecret",
          security: [{ personalToken: ["rotate"] }],
          summary: "A new signing secret; the old one keeps signing for the overlap (24 hours unless given, 0 to stop it at once)",
          parameters: [idempotencyKey],
          requestBody: { required: false, content: { "application/json": { schema: ref("RotateWebhookSecretRequest") } } },
          responses: {
            "201": json(ref("NewWebhookSecret"), "The new secret, in this response only"),
            ...problems(400, 401, 403, 404, 422),
          },
        },
      },
      "/webhooks/{endpointId}/test": {
        parameters: [endpointId],
        post: {
          operationId: "testWebhook",
          security: [{ personalToken: ["rotate"] }],
          summary: "Send a webhook.test event now, signed like any other, and say how it went",
          parameters: [idempotencyKey],
          responses: { "200": json(ref("WebhookDelivery"), "The test event's delivery"), ...problems(400, 401, 403, 404, 409, 422) },
        },
      },
      "/webhooks/{endpointId}/deliveries": {
        parameters: [endpointId],
        get: {
          operationId: "listWebhookDeliveries",
          security: [{ personalToken: ["read"] }],
          summary: "The endpoint's latest 50 deliveries, newest first",
          responses: {
            "200": json(
              { type: "object", properties: { deliveries: { type: "array", items: ref("WebhookDelivery") } }, required: ["deliveries"] },
              "Newest first",
            ),
            ...problems(401, 403, 404, 422),
          },
        },
      },
      "/webhooks/{endpointId}/deliveries/{deliveryId}/replay": {
        parameters: [endpointId, { name: "deliveryId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        post: {
          operationId: "replayWebhookDelivery",
          security: [{ personalToken: ["rotate"] }],
          summary: "Send a delivery again now, with the same webhook-id",
          parameters: [idempotencyKey],
          responses: { "200": json(ref("WebhookDelivery"), "The delivery after this attempt"), ...problems(400, 401, 403, 404, 409, 422) },
        },
      },
      "/organisations/{organisation}/clients": {
        parameters: [organisation],
        get: {
          operationId: "listOrganisationClients",
          security: operatorOnly,
          summary: "List an organisation's clients with their settings (platform operator)",
          responses: {
            "200": json(
              { type: "object", properties: { clients: { type: "array", items: ref("Client") } }, required: ["clients"] },
              "The clients, by name",
            ),
            ...problems(401, 403, 404),
          },
        },
        post: {
          operationId: "createClient",
          security: operatorOnly,
          summary: "Create a client for the organisation (platform operator)",
          description:
            "A new client with no credential yet: its designated user issues the first secret or registers a key. Settings left out take their defaults (no scopes, no audiences, 3600 seconds, ES256, legacy aud off). Audited as client.created.",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: ref("CreateClientRequest") } } },
          responses: { "201": json(ref("Client"), "The new client"), ...problems(400, 401, 403, 404, 422) },
        },
      },
      "/organisations/{organisation}/clients/{clientId}": {
        parameters: [organisation, clientId],
        get: {
          operationId: "readClient",
          security: operatorOnly,
          summary: "Read one of the organisation's clients (platform operator)",
          responses: { "200": json(ref("Client"), "The client"), ...problems(401, 403, 404) },
        },
        patch: {
          operationId: "updateClientSettings",
          security: operatorOnly,
          summary: "Change a client's settings (platform operator)",
          description:
            "Only the settings sent change. A change of audiences keeps the default while it stays among them, takes the only one left, and otherwise needs defaultAudience. The token endpoint uses the new settings from the next request. Audited as client.settings_updated with what changed, before and after.",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: ref("ClientSettingsRequest") } } },
          responses: { "200": json(ref("Client"), "The client as it is now"), ...problems(400, 401, 403, 404, 422) },
        },
      },
      "/organisations/{organisation}/clients/{clientId}/disable": {
        parameters: [organisation, clientId],
        post: {
          operationId: "disableClient",
          security: operatorOnly,
          summary: "Disable a client (platform operator)",
          description:
            "From the next request the token endpoint and introspection answer invalid_client, as for an unknown client. Its secrets and keys are kept; tokens already issued stay valid until they expire.",
          parameters: [idempotencyKey],
          responses: { "200": json(ref("Client"), "The client, disabledAt set"), ...problems(400, 401, 403, 404, 409, 422) },
        },
      },
      "/organisations/{organisation}/clients/{clientId}/enable": {
        parameters: [organisation, clientId],
        post: {
          operationId: "enableClient",
          security: operatorOnly,
          summary: "Enable a disabled client again (platform operator)",
          description: "Its live secrets and keys work again from the next request.",
          parameters: [idempotencyKey],
          responses: { "200": json(ref("Client"), "The client, disabledAt null"), ...problems(400, 401, 403, 404, 409, 422) },
        },
      },
      "/platform/audit-events": {
        get: {
          operationId: "listPlatformAuditEvents",
          security: operatorOnly,
          summary: "Search the audit log across organisations (platform operator)",
          description:
            "Every organisation's events and the platform's own, or one organisation's, newest first, a page at a time: the same filters and cursor as /audit-events, and organisation. Each event names its organisation (null for the platform's own). Events never hold a secret, token, sign-in link or private key.",
          parameters: [
            query("organisation", "One organisation's events only, by its slug; an organisation that does not exist is a 422", {
              type: "string",
              pattern: "^[a-z0-9-]+$",
            }),
            ...auditParameters,
          ],
          responses: { "200": json(ref("AuditEventPage"), "One page of events"), ...problems(401, 403, 422) },
        },
      },
    },
    components: {
      securitySchemes: {
        personalToken: {
          type: "http",
          scheme: "bearer",
          description:
            "A personal API token (rtr_pat_...): a designated user's from Account Management, with the scope `read` or `rotate` (`rotate` includes `read`), for their organisation; or a platform operator's, with the scope `platform`, for the endpoints under /organisations and /platform only. A call the scope does not allow is 403 with WWW-Authenticate error=\"insufficient_scope\" (RFC 6750 3.1).",
        },
      },
      parameters: {
        clientId: { name: "clientId", in: "path", required: true, schema: { type: "string", pattern: "^[A-Za-z0-9_-]{8,64}$" } },
        organisation: {
          name: "organisation",
          in: "path",
          required: true,
          description: "The organisation's slug, as the portal's addresses show it",
          schema: { type: "string", pattern: "^[a-z0-9-]+$" },
        },
        secretId: { name: "secretId", in: "path", required: true, schema: { type: "string", format: "uuid" } },
        keyId: { name: "keyId", in: "path", required: true, schema: { type: "string", format: "uuid" } },
        idempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description: "Retries with the same key run the change at most once and return the first response",
          schema: { type: "string", maxLength: 255 },
        },
      },
      responses: Object.fromEntries(
        Object.entries(PROBLEM_TEXT).map(([status, description]) => [
          `Problem${status}`,
          { description, content: { "application/problem+json": { schema: ref("Problem") } } },
        ]),
      ),
      schemas: componentSchemas(),
    },
  };
}
