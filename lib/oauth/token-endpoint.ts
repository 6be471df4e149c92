import type { TokenStore } from "@/lib/data/token-store";
import { observeTokenRequest } from "@/lib/metrics/record";
import { signAccessToken } from "./access-token";
import { authenticateGuarded, type ClientAuthGuard } from "./client-authentication";
import type { JwksSource } from "./client-jwks-source";
import { ALLOWED_METHODS, CLIENT_CREDENTIALS } from "./constants";
import { jsonResponse, OAuthError, oauthDescriptionText, oauthErrorResponse, unexpectedErrorResponse } from "./errors";
import { type Form, readForm, required } from "./form";
import type { KeyCache } from "./signing-keys";
import { selectAudience, selectScope } from "./targets";
import type { UsageRecorder } from "./usage";

export interface TokenEndpointDeps {
  issuer: string;
  tokenEndpoint: string;
  store: TokenStore;
  /** Keys clients publish at a JWKS URL; none when absent (lib/oauth/client-jwks-source.ts). */
  jwks?: JwksSource;
  keys: KeyCache;
  usage: UsageRecorder;
  /** The audience of a token when neither the client nor the request names one. */
  defaultAudience: string;
  now: () => Date;
  log: (line: string) => void;
  /** Rate limits on client authentication (UNGUARDED in tests that do not test them). */
  guard: ClientAuthGuard;
  /** The request's client address as the mount decided it (lib/http/client-address.ts), or null. */
  addressOf: (request: Request) => string | null;
  /** Waits before a throttled answer goes out (a timer, not work); replaced in tests. */
  hold?: (ms: number) => Promise<void>;
}

/**
 * A throttled caller's 429 is held this long before it is sent: the held socket costs a timer, not
 * CPU, so a flood from a few connections slows to a trickle instead of taking the event loop from
 * other clients with cheap refusals (docs/security.md, "Rate limits"). Clients that honour
 * Retry-After never notice.
 */
export const THROTTLED_HOLD_MS = 1_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The error answer, held first when it is a throttle's. */
export async function answerOAuthError(
  error: OAuthError,
  basicUsed: boolean,
  hold: (ms: number) => Promise<void> = sleep,
): Promise<Response> {
  if (error.status === 429) await hold(THROTTLED_HOLD_MS);
  return oauthErrorResponse(error, basicUsed);
}

/**
 * POST /oauth/token, client_credentials only, as the RFC checklist: parse, authenticate the
 * client, check the grant, check scope and audience, issue. A fetch Request in, a Response out,
 * so one behaviour serves both the Next.js route handler and the self-hosted server.
 */
export function createTokenEndpoint(deps: TokenEndpointDeps) {
  return async function tokenEndpoint(request: Request): Promise<Response> {
    const authorization = request.headers.get("authorization");
    const basicUsed = authorization !== null && /^basic /i.test(authorization);
    // For the one observation as the request ends (docs/observability.md): its method, result and time.
    const started = performance.now();
    let form: Form | undefined;
    let outcome: unknown = "success";
    try {
      if (request.method !== "POST") {
        outcome = new OAuthError("invalid_request", "The token endpoint accepts POST only.", 405);
        return oauthErrorResponse(outcome as OAuthError, false, {
          Allow: ALLOWED_METHODS["/oauth/token"],
        });
      }
      const now = deps.now();
      form = await readForm(request);
      const grantType = required(form, "grant_type");
      const address = deps.addressOf(request);
      const { client, method, credentialId } = await authenticateGuarded(
        {
          store: deps.store,
          jwks: deps.jwks,
          issuer: deps.issuer,
          tokenEndpoint: deps.tokenEndpoint,
          now,
          sawAssertionAudience: (clientUuid, aud) => deps.usage.assertionAudienceSeen(clientUuid, aud, now),
        },
        deps.guard,
        address,
        authorization,
        form,
      );
      if (grantType !== CLIENT_CREDENTIALS) {
        throw new OAuthError("unsupported_grant_type", `Only grant_type=${CLIENT_CREDENTIALS} is supported here.`);
      }
      const scope = selectScope(form.get("scope"), client.allowedScopes);
      const audience = selectAudience(form.get("audience"), form.get("resource"), client, deps.defaultAudience);
      const accessToken = await signAccessToken(
        await deps.keys.get(now),
        client.accessTokenAlg,
        { issuer: deps.issuer, clientId: client.clientId, audience, scope, ttlSeconds: client.accessTokenTtlSeconds },
        now,
      );
      if (method === "private_key_jwt") deps.usage.keyUsed(credentialId, now, client.id);
      else deps.usage.secretUsed(credentialId, now);
      // Remembered, so a flood at this client_id from elsewhere does not lock these systems out.
      if (address) deps.usage.addressUsed(client.clientId, address, now);
      deps.usage.audienceRequested(client.id, audience, now);
      // RFC 6749 5.1: scope is sent when granted; a client without scopes gets none, not "".
      return jsonResponse({
        access_token: accessToken,
        token_type: "Bearer",
        expires_in: client.accessTokenTtlSeconds,
        ...(scope ? { scope } : {}),
      });
    } catch (error) {
      outcome = error;
      if (error instanceof OAuthError) {
        // The reason a caller was told less (lib/oauth/client-assertion.ts), for the operator's log:
        // what was wrong, never the assertion or a secret.
        if (error.reason) deps.log(`token endpoint: invalid_client: ${oauthDescriptionText(error.reason)}`);
        return answerOAuthError(error, basicUsed, deps.hold);
      }
      // Not a 500 and not HTML, whatever happened: a JSON answer, logged without any parameter.
      return unexpectedErrorResponse(error, "token endpoint", deps.log);
    } finally {
      observeTokenRequest(started, authorization, form, outcome);
    }
  };
}
