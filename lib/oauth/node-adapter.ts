import type { IncomingMessage, ServerResponse } from "node:http";
import type { BlockList } from "node:net";
import { errorSummary } from "@/lib/error-summary";
import { CLIENT_ADDRESS_HEADER, resolveClientAddress } from "@/lib/http/client-address";
import { log } from "@/lib/log/logger";
import { REQUEST_ID_HEADER, requestIdFrom, withRequestId } from "@/lib/log/request-context";
import { BufferedRequest, TextResponse } from "./buffered";
import { MAX_FORM_BYTES } from "./constants";
import type { FetchHandler } from "./machine";
import { machineHeaders } from "./security";

const HARD_CAP_BYTES = 8 * 1024 * 1024;

/**
 * Serves a fetch-style handler from Node's http server: the self-hosted mount of the machine
 * paths, with none of Next.js's per-request cost. The body is read with a bound; a larger one is
 * cut at bound + 1 bytes so the handler refuses it as it would any oversized body.
 */
export async function serveFetch(
  handler: FetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
  baseline: Record<string, string> = machineHeaders(origin),
): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (req.method !== "GET" && req.method !== "HEAD") {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      // Past the bound the rest is drained and dropped, so the client still gets its answer;
      // past a hard cap the connection is cut.
      if (size <= MAX_FORM_BYTES) chunks.push(chunk.subarray(0, MAX_FORM_BYTES + 1 - size));
      size += chunk.length;
      if (size > HARD_CAP_BYTES) {
        req.destroy();
        return;
      }
    }
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === "content-length") continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const url = `${origin}${req.url ?? "/"}`;
  const method = req.method ?? "GET";
  // The body is whole and bounded already: handed over as bytes, with a stream only if asked for.
  const request = chunks.length
    ? new BufferedRequest(url, { method, headers }, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks))
    : new Request(url, { method, headers });
  const response = await handler(request);
  const out: Record<string, string> = { ...baseline };
  response.headers.forEach((value, name) => {
    out[name] = value;
  });
  const text = req.method === "HEAD" ? "" : response instanceof TextResponse ? response.bodyText : await response.text();
  out["content-length"] = String(Buffer.byteLength(text));
  res.writeHead(response.status, out);
  res.end(text);
}

/**
 * Replaces whatever the caller sent as CLIENT_ADDRESS_HEADER with the address worked out from the
 * socket (and X-Forwarded-For from trusted proxies only): the one place an address is decided.
 */
export function stampClientAddress(req: IncomingMessage, proxies: BlockList): void {
  const forwarded = req.headers["x-forwarded-for"];
  const address = resolveClientAddress(req.socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(",") : forwarded, proxies);
  if (address === null) delete req.headers[CLIENT_ADDRESS_HEADER];
  else req.headers[CLIENT_ADDRESS_HEADER] = address;
}

/**
 * A Node request listener for the machine paths; anything else goes to `fallback` (Next's request
 * handler in production) or is a 404. Every request first gets its request id (returned as
 * X-Request-Id on every answer) and its client address stamped, and ends with one access line.
 */
export function machineListener(
  routes: Record<string, FetchHandler>,
  origin: string,
  options: { fallback?: (req: IncomingMessage, res: ServerResponse) => void; proxies: BlockList },
) {
  const { fallback, proxies } = options;
  const baseline = machineHeaders(origin);
  return (req: IncomingMessage, res: ServerResponse) => {
    // docs/observability.md, "The request id": Next's proxy.ts keeps the one decided here.
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    withRequestId(requestId, () => serveRequest(req, res, requestId));
  };

  function serveRequest(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const started = performance.now();
    res.once("finish", () => logRequest(req, res.statusCode, started, requestId));
    stampClientAddress(req, proxies);
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const handler = routes[query === -1 ? url : url.slice(0, query)];
    if (!handler) {
      if (fallback) fallback(req, res);
      else res.writeHead(404, { ...baseline, "Content-Type": "application/json" }).end('{"error":"not_found"}');
      return;
    }
    serveFetch(handler, req, res, origin, baseline).catch((error: unknown) => {
      log().error({ err: errorSummary(error) }, "machine path: unexpected failure");
      if (!res.headersSent) res.writeHead(503, { ...baseline, "Content-Type": "application/json", "Retry-After": "1" });
      res.end('{"error":"temporarily_unavailable"}');
    });
  }
}

/**
 * The access line of every request this server answers: the path without its query (a sign-in
 * callback's query holds its token), the status and the time taken; no header, no body.
 */
function logRequest(req: IncomingMessage, status: number, started: number, requestId: string): void {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  log().info(
    {
      requestId,
      method: req.method,
      path: query === -1 ? url : url.slice(0, query),
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    },
    "request",
  );
}
