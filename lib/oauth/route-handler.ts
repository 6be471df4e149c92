import type { MachinePath } from "./machine";
import { getMachine } from "./runtime";

/** The Next.js route-handler mount: every method goes to the same core, which answers 405 itself. */
export function routeHandlersFor(path: MachinePath) {
  const handle = async (request: Request) => (await getMachine()).routes[path](request);
  return { GET: handle, HEAD: handle, POST: handle, PUT: handle, PATCH: handle, DELETE: handle };
}
