import { createRemoteJWKSet, importJWK, type JWK, jwtVerify } from "jose";
import type { OIDCConfig } from "next-auth/providers";
import type { Env } from "@/lib/env";

/**
 * The portal's own sign-in as an OpenID Connect relying party, configurable for any provider and
 * written to pass GOV.UK One Login's relying-party checklist (seed 003):
 * - authorization code flow with state, nonce and PKCE S256, all checked (Auth.js, oauth4webapi);
 * - client authentication by private_key_jwt, a new jti for every assertion (oauth4webapi);
 * - the ID token's signature checked by kid against the provider's JWKS, cached and refetched
 *   on an unknown kid (jose), iss exact, aud containing our client_id, exp, and auth_time not in
 *   the future;
 * - UserInfo fetched and its sub required to equal the ID token's (oauth4webapi);
 * - the first sign-in links to the invited account with the same e-mail address, only when the
 *   provider says it verified that address (email_verified; GOV.UK One Login's e-mail is its
 *   username and always verified).
 */

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientPrivateKey: JWK;
  name: string;
  scopes: string;
}

export function oidcSettings(e: Env): OidcSettings | null {
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_PRIVATE_KEY) return null;
  return {
    issuer: e.OIDC_ISSUER,
    clientId: e.OIDC_CLIENT_ID,
    clientPrivateKey: JSON.parse(e.OIDC_CLIENT_PRIVATE_KEY) as JWK,
    name: e.OIDC_PROVIDER_NAME ?? "GOV.UK One Login",
    scopes: e.OIDC_SCOPES ?? "openid email",
  };
}

const jwksCache = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** Seed 003: provider keys are cached (24 hours) and refetched when an unknown kid appears. */
function providerKeys(jwksUri: string) {
  let set = jwksCache.get(jwksUri);
  if (!set) {
    set = createRemoteJWKSet(new URL(jwksUri), { cacheMaxAge: 24 * 3_600_000, cooldownDuration: 30_000 });
    jwksCache.set(jwksUri, set);
  }
  return set;
}

/**
 * The provider's discovery document is kept for a day, like its keys (seed 003), so a provider
 * that moves an endpoint is followed without a restart (docs/deploy.md, "What an instance keeps in
 * memory").
 */
export const DISCOVERY_CACHE_MS = 24 * 3_600_000;

type Discovery = { jwks_uri: string; end_session_endpoint?: string };
const discovered = new Map<string, { at: number; metadata: Promise<Discovery> }>();

export function providerMetadata(issuer: string, now = Date.now()): Promise<Discovery> {
  const held = discovered.get(issuer);
  if (held && now - held.at <= DISCOVERY_CACHE_MS) return held.metadata;
  const metadata = fetch(`${issuer}/.well-known/openid-configuration`).then((r) => {
    if (!r.ok) throw new Error(`OIDC discovery failed: ${r.status}`);
    return r.json() as Promise<Discovery>;
  });
  const entry = { at: now, metadata };
  metadata.catch(() => {
    if (discovered.get(issuer) === entry) discovered.delete(issuer);
  });
  discovered.set(issuer, entry);
  return metadata;
}

/** The ID token checks of the checklist, beyond what the protocol library already did. */
export async function verifyIdToken(idToken: string, settings: OidcSettings, now = new Date()) {
  const { jwks_uri } = await providerMetadata(settings.issuer);
  const { payload } = await jwtVerify(idToken, providerKeys(jwks_uri), {
    issuer: settings.issuer,
    audience: settings.clientId,
    currentDate: now,
    requiredClaims: ["sub", "exp", "iat"],
  });
  if (typeof payload.auth_time === "number" && payload.auth_time > Math.floor(now.getTime() / 1000) + 30) {
    throw new Error("the ID token's auth_time is in the future");
  }
  return payload;
}

export async function oidcProvider(settings: OidcSettings): Promise<OIDCConfig<Record<string, unknown>>> {
  const key = await importJWK(settings.clientPrivateKey, settings.clientPrivateKey.alg ?? "RS256");
  return {
    id: "oidc",
    name: settings.name,
    type: "oidc",
    issuer: settings.issuer,
    clientId: settings.clientId,
    client: { token_endpoint_auth_method: "private_key_jwt" },
    token: { clientPrivateKey: { key, kid: settings.clientPrivateKey.kid } } as never,
    checks: ["pkce", "state", "nonce"],
    authorization: { params: { scope: settings.scopes } },
    // Fetch UserInfo, whose sub must equal the ID token's.
    idToken: false,
    allowDangerousEmailAccountLinking: true,
    async profile(profile, tokens) {
      if (!tokens.id_token) throw new Error("the provider returned no ID token");
      const claims = await verifyIdToken(tokens.id_token, settings);
      if (profile.sub !== claims.sub) throw new Error("UserInfo sub differs from the ID token's sub");
      // The account is linked to the invited person by e-mail address, so the provider must have
      // verified that address; otherwise anyone could claim an invited person's address there.
      if (profile.email_verified !== true) throw new Error("the provider has not verified this e-mail address");
      const email = typeof profile.email === "string" ? profile.email.toLowerCase() : null;
      return { id: String(claims.sub), email, name: typeof profile.name === "string" ? profile.name : null };
    },
  };
}
