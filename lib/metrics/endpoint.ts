import { createHash, timingSafeEqual } from "node:crypto";
import type { OutboxGauges } from "./metrics";
import { renderMetrics } from "./metrics";

export interface MetricsEndpointDeps {
  /** ROTOR_METRICS_TOKEN; undefined: the endpoint does not exist. */
  token: () => string | undefined;
  readOutbox: () => Promise<OutboxGauges>;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Whether the Authorization header carries the configured bearer token (RFC 6750 2.1). Both sides
 * are hashed first, so the comparison takes the same time whatever the length or the first
 * differing character of what was sent.
 */
export function bearerMatches(authorization: string | null, token: string): boolean {
  const given = authorization?.match(/^Bearer ([\x21-\x7e]+)$/i)?.[1] ?? "";
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

const PLAIN = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" };

/**
 * GET /metrics for a Prometheus scraper (docs/observability.md): 404 unless a token is configured,
 * so an unconfigured deployment shows nothing; 401 with a Bearer challenge (RFC 6750 3) without
 * the right token; otherwise the exposition text, never cached.
 */
export function createMetricsEndpoint(deps: MetricsEndpointDeps) {
  return async function metricsEndpoint(request: Request): Promise<Response> {
    const token = deps.token();
    if (token === undefined) return new Response("Not found.\n", { status: 404, headers: PLAIN });
    if (!bearerMatches(request.headers.get("authorization"), token)) {
      return new Response("A bearer token is required.\n", {
        status: 401,
        headers: { ...PLAIN, "WWW-Authenticate": 'Bearer realm="metrics"' },
      });
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("GET only.\n", { status: 405, headers: { ...PLAIN, Allow: "GET, HEAD" } });
    }
    const { contentType, text } = await renderMetrics(deps.readOutbox);
    return new Response(request.method === "HEAD" ? null : text, {
      status: 200,
      headers: { "Content-Type": contentType, "Cache-Control": "no-store" },
    });
  };
}
