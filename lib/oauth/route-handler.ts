import { env } from "@/lib/env";
import { HEALTH_METHODS, healthz } from "@/lib/health/readiness";
import { log } from "@/lib/log/logger";
import { REQUEST_ID_HEADER, requestIdFrom, withRequestId } from "@/lib/log/request-context";
import { TextResponse } from "./buffered";
import type { MachinePath } from "./machine";
import { getMachine } from "./runtime";
import { withMachineHeaders } from "./security";

/**
 * The Next.js route-handler mount: every method goes to the same core, which answers 405 and
 * OPTIONS itself (Next would answer OPTIONS on its own otherwise), with the same baseline headers
 * as the self-hosted mount.
 */
export function routeHandlersFor(path: MachinePath) {
  const handle = (request: Request) => {
    // proxy.ts decided the id and set it on the response; here it is carried to the log lines.
    const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
    return withRequestId(requestId, async () => {
      const started = performance.now();
      const response = withMachineHeaders(await (await getMachine()).routes[path](request), env().ROTOR_PUBLIC_URL);
      // The same access line as the self-hosted mount's (lib/oauth/node-adapter.ts).
      log().info(
        { method: request.method, path, status: response.status, durationMs: Math.round((performance.now() - started) * 10) / 10 },
        "request",
      );
      // Next sends an ordinary Response; the core's JSON answers keep their text aside (buffered.ts).
      return response instanceof TextResponse ? response.toResponse() : response;
    });
  };
  return { GET: handle, HEAD: handle, POST: handle, PUT: handle, PATCH: handle, DELETE: handle, OPTIONS: handle };
}

/**
 * /healthz on the Next mount: answered without the machine, so it never opens the database
 * (lib/health/readiness.ts); OPTIONS as the machine answers it.
 */
export function healthzRouteHandlers() {
  const handle = async (request: Request) =>
    withMachineHeaders(
      request.method === "OPTIONS"
        ? new Response(null, { status: 204, headers: { Allow: HEALTH_METHODS, "Cache-Control": "no-store" } })
        : await healthz(request),
      env().ROTOR_PUBLIC_URL,
    );
  return { GET: handle, HEAD: handle, POST: handle, PUT: handle, PATCH: handle, DELETE: handle, OPTIONS: handle };
}
