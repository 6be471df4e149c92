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
    ]);
    const schemas = doc.components.schemas as Record<string, { properties?: Record<string, unknown> }>;
    expect(Object.keys(schemas.NewSecret?.properties ?? {})).toContain("value");
    expect(Object.keys(schemas.RegisterKeyRequest?.properties ?? {})).toEqual(["key", "kid", "expiresOn", "label"]);
    expect(Object.keys(schemas.JwksUriRequest?.properties ?? {})).toEqual(["jwksUri"]);
    expect(schemas.PublicKey?.properties?.type).toEqual({
      type: "string",
      enum: ["RSA", "EC"],
      description: "RSA, or EC on the P-256 curve (ES256)",
    });
  });
});
