import { decodeJwt } from "jose";
import { isWellFormedClientId } from "@/lib/crypto/client-id";
import { digestSecret, digestsMatch, isWellFormedClientSecret } from "@/lib/crypto/client-secret";
import type { ClientRecord, TokenStore } from "@/lib/data/token-store";
import { assertedClientId, readClientAssertion, unverifiedAssertion, verifyClientAssertion } from "./client-assertion";
import type { JwksSource } from "./client-jwks-source";
import { CLIENT_AUTH_FAILED, OAuthError, throttled } from "./errors";
import type { Form } from "./form";

export type AuthMethod = "client_secret_basic" | "client_secret_post" | "private_key_jwt";

export interface AuthenticatedClient {
  client: ClientRecord;
  method: AuthMethod;
  /** The secret or key that authenticated, for "last used". */
  credentialId: string;
}

export interface ClientAuthContext {
  store: TokenStore;
  /** Keys clients publish at a JWKS URL (lib/oauth/client-jwks-source.ts); none when absent. */
  jwks?: JwksSource;
  /** Told the aud of each assertion whose signature verified, with the client's row id (lib/oauth/usage.ts). */
  sawAssertionAudience?: (clientUuid: string, aud: string) => void;
  issuer: string;
  tokenEndpoint: string;
  now: Date;
}

/** RFC 6749 2.3.1: client_id and secret are form-urlencoded before being joined and base64-encoded. */
export function parseBasicCredentials(header: string): { clientId: string; secret: string } {
  const encoded = header.slice(6).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new OAuthError("invalid_client", "The Basic credentials are not valid base64.");
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new OAuthError("invalid_client", "The Basic credentials must be client_id:client_secret.");
  try {
    const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw new OAuthError("invalid_client", "The Basic credentials have malformed percent-encoding.");
  }
}

/** Which methods the request uses; more than one is invalid_request (RFC 6749 2.3). */
export function detectAuthMethods(authorization: string | null, form: Form): AuthMethod[] {
  const methods: AuthMethod[] = [];
  if (authorization !== null) {
    if (!/^basic /i.test(authorization)) {
      throw new OAuthError("invalid_request", "The Authorization header must use the Basic scheme at the token endpoint.");
    }
    methods.push("client_secret_basic");
  }
  if (form.has("client_secret")) methods.push("client_secret_post");
  if (form.has("client_assertion") || form.has("client_assertion_type")) methods.push("private_key_jwt");
  return methods;
}

/**
 * A client_id outside the format (db/schema.ts, oauth_client_id_format) names no client: it is
 * refused before any look-up (a NUL byte would otherwise fail the query), with the very answer an
 * unknown client gets, so a malformed ID and an unknown one cannot be told apart.
 */
function requireWellFormedClientId(clientId: string): void {
  if (!isWellFormedClientId(clientId)) throw new OAuthError("invalid_client", CLIENT_AUTH_FAILED);
}

async function bySecret(ctx: ClientAuthContext, clientId: string, secret: string, method: AuthMethod): Promise<AuthenticatedClient> {
  // The checksum refuses a mistyped or made-up secret without a database round trip; the answer
  // is the same as for an unknown client or a wrong secret.
  if (!isWellFormedClientSecret(secret)) throw new OAuthError("invalid_client", CLIENT_AUTH_FAILED);
  requireWellFormedClientId(clientId);
  const found = await ctx.store.findClientWithSecrets(clientId, ctx.now);
  if (!found) throw new OAuthError("invalid_client", CLIENT_AUTH_FAILED);
  const digest = digestSecret(secret);
  // Both live secrets are accepted during the overlap; compare against each in constant time.
  let match: string | null = null;
  for (const s of found.secrets) if (digestsMatch(s.digest, digest)) match = s.id;
  if (!match) throw new OAuthError("invalid_client", CLIENT_AUTH_FAILED);
  return { client: found.client, method, credentialId: match };
}

export async function authenticateClient(ctx: ClientAuthContext, authorization: string | null, form: Form): Promise<AuthenticatedClient> {
  const methods = detectAuthMethods(authorization, form);
  if (methods.length > 1) {
    throw new OAuthError("invalid_request", `Use exactly one client authentication method; this request used ${methods.join(" and ")}.`);
  }
  const method = methods[0];
  if (method === undefined) {
    throw new OAuthError(
      "invalid_client",
      "No client authentication: use client_secret_basic, client_secret_post or private_key_jwt.",
      401,
      true,
    );
  }
  if (method === "client_secret_basic") {
    const { clientId, secret } = parseBasicCredentials(authorization as string);
    const posted = form.get("client_id");
    if (posted !== undefined && posted !== clientId)
      throw new OAuthError("invalid_request", "client_id in the body differs from the Basic credentials.");
    return bySecret(ctx, clientId, secret, method);
  }
  if (method === "client_secret_post") {
    const clientId = form.get("client_id");
    if (!clientId) throw new OAuthError("invalid_request", "client_secret_post needs the client_id parameter.");
    return bySecret(ctx, clientId, form.get("client_secret") ?? "", method);
  }
  const assertion = form.get("client_assertion");
  if (!assertion) throw new OAuthError("invalid_request", "The client_assertion parameter is missing.");
  const read = readClientAssertion(form.get("client_assertion_type"), assertion, form.get("client_id"));
  // An unknown client gets the same answer as a known one whose key does not match (client-assertion.ts).
  if (!isWellFormedClientId(read.clientId)) throw unverifiedAssertion("The assertion's sub is not a well-formed client_id.");
  const found = await ctx.store.findClientWithKeys(read.clientId, ctx.now);
  if (!found) throw unverifiedAssertion("There is no enabled client with this client_id.");
  // Keys a client publishes at its JWKS URL count beside its registered ones (docs/domain.md).
  const published =
    found.client.jwksUri && ctx.jwks
      ? await ctx.jwks.keysFor({ id: found.client.id, jwksUri: found.client.jwksUri }, read.kid, ctx.now)
      : [];
  const verified = await verifyClientAssertion(read, [...found.keys, ...published], {
    issuer: ctx.issuer,
    tokenEndpoint: ctx.tokenEndpoint,
    legacyAudience: found.client.legacyAudience,
    now: ctx.now,
    sawAudience: ctx.sawAssertionAudience ? (aud) => ctx.sawAssertionAudience?.(found.client.id, aud) : undefined,
  });
  // Single use, atomically, in the shared database: replays fail on every instance.
  if (!(await ctx.store.consumeJti(found.client.clientId, verified.jti, verified.jtiExpiresAt))) {
    throw new OAuthError("invalid_client", "This assertion's jti has already been used: sign a new assertion for every request.");
  }
  return { client: found.client, method, credentialId: verified.keyId };
}

/**
 * The client_id a request claims, before anything is checked (for rate limits only): from Basic,
 * the client_id parameter, or an assertion's iss. Never throws; null when nothing well-formed is
 * claimed.
 */
export function claimedClientId(authorization: string | null, form: Form): string | null {
  let claimed: string | undefined;
  try {
    if (authorization !== null && /^basic /i.test(authorization)) claimed = parseBasicCredentials(authorization).clientId;
    else if (form.get("client_id")) claimed = form.get("client_id");
    else if (form.get("client_assertion")) claimed = assertedClientId(decodeJwt(form.get("client_assertion") ?? ""), undefined);
  } catch {
    return null;
  }
  return claimed !== undefined && isWellFormedClientId(claimed) ? claimed : null;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * What a throttle needs to know about client authentication (lib/rate-limit/client-auth-guard.ts).
 * An attempt takes its place in the count before any work is done and gives it back if it
 * succeeds, so concurrent attempts cannot all pass a check made before any of them failed.
 */
export interface ClientAuthGuard {
  /** Takes a place for this attempt; milliseconds to wait instead (0: go ahead). Never a database round trip. */
  begin(clientId: string | null, address: string | null): Promise<number>;
  /** The attempt failed: it keeps its place, and a shared count learns of it. */
  failed(clientId: string | null, address: string | null): Promise<void>;
  /** The attempt succeeded: its place is given back; ms to wait if successful requests are limited too. */
  succeeded(clientId: string, address: string | null, claimed: string | null): Promise<number>;
  /** The attempt ended otherwise (a malformed request, a server error): its place is given back. */
  released(clientId: string | null, address: string | null): Promise<void>;
}

export const UNGUARDED: ClientAuthGuard = {
  begin: async () => 0,
  failed: async () => {},
  succeeded: async () => 0,
  released: async () => {},
};

/**
 * Client authentication behind the rate limits: a client or address over its limit of failures is
 * refused at once (429, Retry-After), before any look-up or signature check, so a flood of wrong
 * secrets costs little and does not slow other clients; each invalid_client counts a failure.
 */
export async function authenticateGuarded(
  ctx: ClientAuthContext,
  guard: ClientAuthGuard,
  address: string | null,
  authorization: string | null,
  form: Form,
): Promise<AuthenticatedClient> {
  const claimed = claimedClientId(authorization, form);
  const wait = await guard.begin(claimed, address);
  if (wait > 0) throw throttled(seconds(wait));
  let authenticated: AuthenticatedClient;
  try {
    authenticated = await authenticateClient(ctx, authorization, form);
  } catch (error) {
    if (error instanceof OAuthError && error.error === "invalid_client") await guard.failed(claimed, address);
    else await guard.released(claimed, address);
    throw error;
  }
  const over = await guard.succeeded(authenticated.client.clientId, address, claimed);
  if (over > 0) throw throttled(seconds(over));
  return authenticated;
}
