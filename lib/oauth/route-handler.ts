import { env } from "@/lib/env";
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
  const handle = async (request: Request) => {
    const response = withMachineHeaders(await (await getMachine()).routes[path](request), env().ROTOR_PUBLIC_URL);
    // Next sends an ordinary Response; the core's JSON answers keep their text aside (buffered.ts).
    return response instanceof TextResponse ? response.toResponse() : response;
  };
  return { GET: handle, HEAD: handle, POST: handle, PUT: handle, PATCH: handle, DELETE: handle, OPTIONS: handle };
}
