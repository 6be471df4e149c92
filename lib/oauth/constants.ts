/** RFC 7523 2.2: the one client_assertion_type for JWT client authentication. */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** What seed 002 prints by mistake (the RFC 7523 grant type, not the assertion type). */
export const JWT_BEARER_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
export const CLIENT_CREDENTIALS = "client_credentials";
/** Seed 002: "exp: maximum 5 minutes from issued time". */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Clock skew tolerated between the client's clock and ours. */
export const CLOCK_SKEW_SECONDS = 30;
/**
 * What each family of registrable key signs client assertions with: RSA RS256 or PS256 (RFC 7518
 * 3.3, 3.5), EC P-256 ES256 (RFC 7518 3.4). A key never verifies another family's algorithm.
 */
export const ASSERTION_ALGORITHMS_BY_KEY_TYPE = { RSA: ["RS256", "PS256"], EC: ["ES256"] } as const;
/** Every algorithm some client can sign with: the union of the families, as the metadata advertises it. */
export const ASSERTION_ALGORITHMS = [...ASSERTION_ALGORITHMS_BY_KEY_TYPE.RSA, ...ASSERTION_ALGORITHMS_BY_KEY_TYPE.EC] as const;
export type AssertionAlgorithm = (typeof ASSERTION_ALGORITHMS)[number];
export const MAX_FORM_BYTES = 64 * 1024;
export const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt"] as const;

/** What each machine path answers to, for Allow on 405 and OPTIONS. */
export const ALLOWED_METHODS: Record<
  | "/oauth/token"
  | "/oauth/introspect"
  | "/.well-known/oauth-authorization-server"
  | "/.well-known/jwks.json"
  | "/api/v1/whoami"
  | "/healthz"
  | "/readyz",
  string
> = {
  "/oauth/token": "POST, OPTIONS",
  "/oauth/introspect": "POST, OPTIONS",
  "/.well-known/oauth-authorization-server": "GET, HEAD, OPTIONS",
  "/.well-known/jwks.json": "GET, HEAD, OPTIONS",
  "/api/v1/whoami": "GET, HEAD, OPTIONS",
  "/healthz": "GET, HEAD, OPTIONS",
  "/readyz": "GET, HEAD, OPTIONS",
};
