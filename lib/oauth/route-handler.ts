import { env } from "@/lib/env";
import { HEALTH_METHODS, healthz } from "@/lib/health/readiness";
import type { MachinePath } from "./machine";
import { getMachine } from "./runtime";
import { withMachineHeaders } from "./security";

/**
 * The Next.js route-handler mount: every method goes to the same core, which answers 405 and
 * OPTIONS itself (Next would answer OPTIONS on its own otherwise), with the same baseline headers
 * as the self-hosted mount.
 */
export function routeHandlersFor(path: MachinePath) {
  const handle = async (request: Request) => withMachineHeaders(await (await getMachine()).routes[path](request), env().ROTOR_PUBLIC_URL);
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
