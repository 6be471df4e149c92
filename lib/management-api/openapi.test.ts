import { validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";

describe("the management API's OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await validate(structuredClone(buildOpenApiDocument("https://rotor.example")) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.specification).toBe("OpenAPI");
  });

  it("describes every endpoint with its schemas generated from the zod schemas", () => {
    const doc = buildOpenApiDocument("https://rotor.example");
    expect(Object.keys(doc.paths)).toEqual([
      "/clients",
      "/clients/{clientId}/secrets",
      "/clients/{clientId}/secrets/{secretId}/value",
      "/clients/{clientId}/secrets/{secretId}/revoke",
      "/clients/{clientId}/keys",
      "/clients/{clientId}/jwks-uri",
      "/clients/{clientId}/keys/{keyId}/revoke",
      "/audit-events",
      "/webhooks",
      "/webhooks/{endpointId}",
      "/webhooks/{endpointId}/disable",
      "/webhooks/{endpointId}/enable",
      "/webhooks/{endpointId}/rotate-secret",
      "/webhooks/{endpointId}/test",
      "/webhooks/{endpointId}/deliveries",
      "/webhooks/{endpointId}/deliveries/{deliveryId}/replay",
      "/organisations/{organisation}/clients",
      "/organisations/{organisation}/clients/{clientId}",
      "/organisations/{organisation}/clients/{clientId}/disable",
      "/organisations/{organisation}/clients/{clientId}/enable",
      "/platform/audit-events",
    ]);
    const schemas = doc.components.schemas as Record<string, { properties?: Record<string, unknown> }>;
    expect(Object.keys(schemas.NewSecret?.properties ?? {})).toContain("value");
    expect(Object.keys(schemas.RegisterKeyRequest?.properties ?? {})).toEqual(["key", "kid", "expiresOn", "label"]);
    expect(Object.keys(schemas.JwksUriRequest?.properties ?? {})).toEqual(["jwksUri"]);
    expect(Object.keys(schemas.WebhookEndpointRequest?.properties ?? {})).toEqual(["url", "description", "eventTypes"]);
    expect(schemas.WebhookEndpointRequest).toMatchObject({ required: ["url", "eventTypes"], additionalProperties: false });
    expect(Object.keys(schemas.NewWebhookEndpoint?.properties ?? {})).toEqual(["endpoint", "signingSecret"]);
    const settings = ["scopes", "audiences", "defaultAudience", "tokenTtlSeconds", "accessTokenAlg", "legacyAudience"];
    expect(Object.keys(schemas.CreateClientRequest?.properties ?? {})).toEqual(["name", ...settings]);
    expect(Object.keys(schemas.ClientSettingsRequest?.properties ?? {})).toEqual(settings);
    expect(schemas.ClientSettingsRequest).toMatchObject({ additionalProperties: false });
    expect(schemas.CreateClientRequest).toMatchObject({ required: ["name"], additionalProperties: false });
    expect(schemas.PublicKey?.properties?.type).toEqual({
      type: "string",
      enum: ["RSA", "EC"],
      description: "RSA, or EC on the P-256 curve (ES256)",
    });
  });
});

describe("the operator's endpoints in the OpenAPI document", () => {
  it("ask for a platform token, and the organisations' endpoints for a read or rotate one", () => {
    const doc = buildOpenApiDocument("https://rotor.example");
    const security = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ["get", "post", "put", "patch"].includes(method))
        .map(([method, op]) => `${method.toUpperCase()} ${path} ${JSON.stringify((op as { security: unknown }).security)}`),
    );
    const operators = (line: string) => line.includes("/organisations/") || line.includes("/platform/");
    expect(security.filter(operators)).toEqual([
      'GET /organisations/{organisation}/clients [{"personalToken":["platform"]}]',
      'POST /organisations/{organisation}/clients [{"personalToken":["platform"]}]',
      'GET /organisations/{organisation}/clients/{clientId} [{"personalToken":["platform"]}]',
      'PATCH /organisations/{organisation}/clients/{clientId} [{"personalToken":["platform"]}]',
      'POST /organisations/{organisation}/clients/{clientId}/disable [{"personalToken":["platform"]}]',
      'POST /organisations/{organisation}/clients/{clientId}/enable [{"personalToken":["platform"]}]',
      'GET /platform/audit-events [{"personalToken":["platform"]}]',
    ]);
    expect(security.filter((line) => !operators(line) && line.includes("platform"))).toEqual([]);
  });

  it("read the audit log across organisations with the organisation's filters and cursor, and an organisation", () => {
    const doc = buildOpenApiDocument("https://rotor.example");
    const names = (path: "/audit-events" | "/platform/audit-events") =>
      (doc.paths[path].get.parameters as { name: string }[]).map((p) => p.name);
    expect(names("/platform/audit-events")).toEqual(["organisation", ...names("/audit-events")]);
    expect(doc.paths["/platform/audit-events"].get.responses["200"]).toEqual(doc.paths["/audit-events"].get.responses["200"]);
  });
});
