import type { TokenStore } from "@/lib/data/token-store";
import { errorSummary } from "@/lib/error-summary";
import { InvalidTokenError, verifyAccessToken } from "./access-token";
import { ALLOWED_METHODS } from "./constants";
import type { KeyCache } from "./signing-keys";

/**
 * GET /api/v1/whoami: the platform's sample protected API, which validates its own tokens the way
 * any resource server would (RFC 9068 4) and refuses per RFC 6750 3.
 */
export function createWhoamiEndpoint(deps: {
  issuer: string;
  keys: KeyCache;
  store: TokenStore;
  acceptedAudiences: () => Promise<string[]>;
  now: () => Date;
  log: (line: string) => void;
}) {
  const challenge = (error?: string, description?: string) =>
    `Bearer realm="${deps.issuer}"${error ? `, error="${error}"` : ""}${description ? `, error_description="${description.replace(/"/g, "'")}"` : ""}`;
  const refuse = (status: number, error: string | undefined, description: string) =>
    new Response(JSON.stringify(error ? { error, error_description: description } : { error_description: description }), {
      status,
      headers: {
        "Content-Type": "application/json",
        "Cache-Control": "no-store",
        "WWW-Authenticate": challenge(error, error ? description : undefined),
      },
    });

  return async function whoami(request: Request): Promise<Response> {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response(JSON.stringify({ error: "invalid_request", error_description: "Use GET." }), {
        status: 405,
        headers: { "Content-Type": "application/json", Allow: ALLOWED_METHODS["/api/v1/whoami"] },
      });
    }
    const authorization = request.headers.get("authorization");
    // RFC 6750 3.1: no credentials at all gets a bare challenge, without an error code.
    if (!authorization) return refuse(401, undefined, "Send an access token: Authorization: Bearer <token>.");
    const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization.trim());
    if (!match?.[1]) return refuse(400, "invalid_request", "The Authorization header must be: Bearer <token>.");
    try {
      const now = deps.now();
      const verified = await verifyAccessToken(match[1], await deps.keys.get(now), {
        issuer: deps.issuer,
        audiences: await deps.acceptedAudiences(),
        now,
      });
      const client = await deps.store.findClient(verified.clientId);
      if (!client) return refuse(401, "invalid_token", "The client this token was issued to no longer exists.");
      return new Response(
        JSON.stringify({
          client_id: client.clientId,
          organisation: { slug: client.organisationSlug, name: client.organisationName },
          scope: verified.scope,
          aud: verified.audience,
          exp: verified.payload.exp,
        }),
        { status: 200, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } },
      );
    } catch (error) {
      if (error instanceof InvalidTokenError) return refuse(401, "invalid_token", error.message);
      deps.log(`whoami: unexpected ${errorSummary(error)}`);
      return new Response(JSON.stringify({ error: "temporarily_unavailable" }), {
        status: 503,
        headers: { "Content-Type": "application/json", "Retry-After": "1" },
      });
    }
  };
}
