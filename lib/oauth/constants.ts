/** RFC 7523 2.2: the one client_assertion_type for JWT client authentication. */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** What seed 002 prints by mistake (the RFC 7523 grant type, not the assertion type). */
export const JWT_BEARER_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
export const CLIENT_CREDENTIALS = "client_credentials";
/** Seed 002: "exp: maximum 5 minutes from issued time". */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Clock skew tolerated between the client's clock and ours. */
export const CLOCK_SKEW_SECONDS = 30;
export const ASSERTION_ALGORITHMS = ["RS256", "PS256", "ES256"] as const;
export const MAX_FORM_BYTES = 64 * 1024;
export const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt"] as const;

/** What each machine path answers to, for Allow on 405 and OPTIONS. */
export const ALLOWED_METHODS: Record<
  "/oauth/token" | "/oauth/introspect" | "/.well-known/oauth-authorization-server" | "/.well-known/jwks.json" | "/api/v1/whoami",
  string
> = {
  "/oauth/token": "POST, OPTIONS",
  "/oauth/introspect": "POST, OPTIONS",
  "/.well-known/oauth-authorization-server": "GET, HEAD, OPTIONS",
  "/.well-known/jwks.json": "GET, HEAD, OPTIONS",
  "/api/v1/whoami": "GET, HEAD, OPTIONS",
};
