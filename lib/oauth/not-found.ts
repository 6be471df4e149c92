import { problem } from "@/lib/management-api/problem";
import { jsonResponse } from "./errors";

/*
 * Unknown paths under the machine prefixes answer JSON, never Next's HTML page, whatever the
 * Accept header (a strict client parses every answer). Nothing of the request is echoed back.
 */

/** Under /oauth/ and /.well-known/: an OAuth-style error object. */
export function oauthNotFound(): Response {
  return jsonResponse(
    {
      error: "not_found",
      error_description: "There is no endpoint at this path. The metadata at /.well-known/oauth-authorization-server lists them.",
    },
    404,
  );
}

/** Under /api/v1/: RFC 9457 problem details, like the rest of the management API. */
export function apiNotFound(): Response {
  return problem(404, "Not found", "There is no endpoint at this path. The OpenAPI document at /api/v1/openapi.json lists them.");
}

/** Route handlers for every method. */
export function notFoundHandlers(answer: () => Response) {
  const handle = async () => answer();
  return { GET: handle, HEAD: handle, POST: handle, PUT: handle, PATCH: handle, DELETE: handle, OPTIONS: handle };
}
