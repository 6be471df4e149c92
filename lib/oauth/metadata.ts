import { ALLOWED_METHODS, ASSERTION_ALGORITHMS, AUTH_METHODS } from "./constants";
import { jsonResponse } from "./errors";

/**
 * RFC 8414 authorization server metadata. The signing algorithms are exactly those a registered key
 * can verify (lib/oauth/constants.ts): RS256 and PS256 with an RSA key, ES256 with an EC P-256 key.
 * Metadata is one document for every client, so it names the union; which of them a given client
 * may use follows from its keys (docs/domain.md, "The token endpoint").
 */
export function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    token_endpoint: `${issuer}/oauth/token`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    grant_types_supported: ["client_credentials"],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: [...AUTH_METHODS],
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS],
    introspection_endpoint_auth_methods_supported: [...AUTH_METHODS],
    introspection_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS],
    service_documentation: `${issuer}/api/v1/openapi.json`,
  };
}

export function metadataResponse(request: Request, issuer: string): Response {
  if (request.method !== "GET" && request.method !== "HEAD")
    return methodNotAllowed("GET", ALLOWED_METHODS["/.well-known/oauth-authorization-server"]);
  return jsonResponse(authorizationServerMetadata(issuer), 200, { "Cache-Control": "public, max-age=3600" });
}

export function methodNotAllowed(use: string, allow: string): Response {
  return jsonResponse({ error: "invalid_request", error_description: `Use ${use}.` }, 405, { Allow: allow });
}
