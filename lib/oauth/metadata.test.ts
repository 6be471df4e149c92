import { describe, expect, it } from "vitest";
import { baselineHeaders, MACHINE_CSP } from "@/lib/http/security-headers";
import { assertionAlgorithmsOf } from "./client-assertion";
import { authorizationServerMetadata, metadataResponse } from "./metadata";
import { machineHeaders, withMachineHeaders } from "./security";

const issuer = "https://ext.auth.example";

describe("authorization server metadata (RFC 8414 2)", () => {
  it("names our endpoints under the issuer, client_credentials only, and every client authentication method", () => {
    expect(authorizationServerMetadata(issuer)).toEqual({
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      grant_types_supported: ["client_credentials"],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
      token_endpoint_auth_signing_alg_values_supported: ["RS256", "PS256", "ES256"],
      introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
      introspection_endpoint_auth_signing_alg_values_supported: ["RS256", "PS256", "ES256"],
      service_documentation: `${issuer}/api/v1/openapi.json`,
    });
  });

  it("advertises exactly the assertion algorithms a registrable key verifies: RSA's and EC P-256's, nothing else", () => {
    const families = [
      ...assertionAlgorithmsOf({ keyType: "RSA", alg: "RS256" }),
      ...assertionAlgorithmsOf({ keyType: "EC", alg: "ES256" }),
    ];
    expect(authorizationServerMetadata(issuer).token_endpoint_auth_signing_alg_values_supported).toEqual(families);
  });

  it("is served to GET and HEAD, cacheable for an hour", async () => {
    for (const method of ["GET", "HEAD"]) {
      const response = metadataResponse(new Request(`${issuer}/.well-known/oauth-authorization-server`, { method }), issuer);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("public, max-age=3600");
    }
    const body = await metadataResponse(new Request(`${issuer}/.well-known/oauth-authorization-server`), issuer).json();
    expect(body).toEqual(authorizationServerMetadata(issuer));
  });

  it("answers any other method 405 with what it allows", async () => {
    const response = metadataResponse(new Request(`${issuer}/.well-known/oauth-authorization-server`, { method: "POST" }), issuer);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(await response.json()).toEqual({ error: "invalid_request", error_description: "Use GET." });
  });
});

describe("the headers of every machine-path answer (lib/http/security-headers.ts)", () => {
  it("are the baseline headers and a CSP that lets nothing load", () => {
    expect(machineHeaders(issuer)).toEqual({ ...baselineHeaders(issuer), "Content-Security-Policy": MACHINE_CSP });
  });

  it("are added where the answer has not set its own", () => {
    const response = withMachineHeaders(new Response("{}", { headers: { "X-Frame-Options": "SAMEORIGIN" } }), issuer);
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(response.headers.get("content-security-policy")).toBe(MACHINE_CSP);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
