import { verifyAccessToken } from "./access-token";
import { authenticateGuarded } from "./client-authentication";
import { ALLOWED_METHODS } from "./constants";
import { jsonResponse, OAuthError, oauthErrorResponse, unexpectedErrorResponse } from "./errors";
import { readForm, required } from "./form";
import { answerOAuthError, type TokenEndpointDeps } from "./token-endpoint";

/**
 * RFC 7662 introspection for a client's own tokens: the caller authenticates as a client, and a
 * token issued to another client is simply inactive (nothing about it is disclosed).
 */
export function createIntrospectionEndpoint(deps: TokenEndpointDeps & { acceptedAudiences: () => Promise<string[]> }) {
  return async function introspect(request: Request): Promise<Response> {
    const authorization = request.headers.get("authorization");
    const basicUsed = authorization !== null && /^basic /i.test(authorization);
    try {
      if (request.method !== "POST") {
        return oauthErrorResponse(new OAuthError("invalid_request", "The introspection endpoint accepts POST only.", 405), false, {
          Allow: ALLOWED_METHODS["/oauth/introspect"],
        });
      }
      const now = deps.now();
      const form = await readForm(request);
      const token = required(form, "token");
      const { client } = await authenticateGuarded(
        { store: deps.store, jwks: deps.jwks, issuer: deps.issuer, tokenEndpoint: deps.tokenEndpoint, now },
        deps.guard,
        deps.addressOf(request),
        authorization,
        form,
      );
      try {
        const verified = await verifyAccessToken(token, await deps.keys.get(now), {
          issuer: deps.issuer,
          audiences: [...(await deps.acceptedAudiences()), ...client.allowedAudiences, deps.defaultAudience],
          now,
        });
        if (verified.clientId !== client.clientId) return jsonResponse({ active: false });
        const p = verified.payload;
        return jsonResponse({
          active: true,
          client_id: verified.clientId,
          scope: verified.scope,
          token_type: "Bearer",
          exp: p.exp,
          iat: p.iat,
          sub: p.sub,
          aud: p.aud,
          iss: p.iss,
          jti: p.jti,
        });
      } catch {
        return jsonResponse({ active: false });
      }
    } catch (error) {
      if (error instanceof OAuthError) return answerOAuthError(error, basicUsed, deps.hold);
      return unexpectedErrorResponse(error, "introspection", deps.log);
    }
  };
}
