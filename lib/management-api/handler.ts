import { z } from "zod";
import { type ApiPrincipal, authenticateApiToken } from "@/lib/api-tokens/api-tokens";
import { type ApiTokenScope, scopeAllows } from "@/lib/api-tokens/schemas";
import type { CredentialContext } from "@/lib/context";
import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { getDb } from "@/lib/data/database";
import { env } from "@/lib/env";
import { errorSummary, isDataException } from "@/lib/error-summary";
import { isDomainError } from "@/lib/errors";
import { log } from "@/lib/log/logger";
import { countRateLimitRefusal } from "@/lib/metrics/record";
import { retryAfterSeconds } from "@/lib/rate-limit/limit";
import { getRateLimits } from "@/lib/rate-limit/runtime";
import { clientAddress } from "@/lib/request-meta";
import { type ApiResult, jsonResponse, requestFingerprint, withIdempotency } from "./idempotency";
import { problem, STATUS_FOR } from "./problem";

const MAX_BODY_BYTES = 64 * 1024;

export interface ManagementRequest<Body> {
  ctx: CredentialContext;
  principal: ApiPrincipal;
  params: Record<string, string>;
  body: Body;
  url: URL;
}

function zodProblem(error: z.ZodError): Response {
  return problem(422, "Unprocessable content", "The request has invalid fields; see errors.", {
    errors: error.issues.map((i) => ({ field: i.path.join(".") || "body", message: i.message })),
  });
}

/**
 * One route of the management API: authenticate the personal token on every request, parse and
 * validate the body, run the handler (which calls one use case), and answer in JSON or RFC 9457
 * problem+json. POSTs honour Idempotency-Key. Never a stack trace, never a secret in an error.
 */
export function managementRoute<Schema extends z.ZodType | undefined>(
  /** `scope`: what the token must allow (RFC 6750 3.1 insufficient_scope otherwise). */
  options: { scope: ApiTokenScope; body?: Schema; idempotent?: boolean },
  handler: (request: ManagementRequest<Schema extends z.ZodType ? z.output<Schema> : undefined>) => Promise<ApiResult>,
) {
  return async (request: Request, route: { params: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      const db = await getDb();
      const now = new Date();
      const principal = await authenticateApiToken(db, request.headers.get("authorization"), now);
      if (!principal) {
        return problem(
          401,
          "Unauthorized",
          "Send a valid personal API token as Authorization: Bearer rtr_pat_... Tokens are created by the designated user in Account Management.",
          {},
          { "WWW-Authenticate": 'Bearer realm="rotor-management", error="invalid_token"' },
        );
      }
      const wait = (await (await getRateLimits()).apiPerToken?.hit(principal.tokenId)) ?? 0;
      if (wait > 0) {
        countRateLimitRefusal("api_per_token");
        const seconds = retryAfterSeconds(wait);
        return problem(
          429,
          "Too many requests",
          `This token has made too many calls; try again in ${seconds} seconds.`,
          {},
          { "Retry-After": String(seconds) },
        );
      }
      if (!scopeAllows(principal.scope, options.scope)) {
        return problem(
          403,
          "Forbidden",
          "This token is read-only. Create a token with the read and rotate scope in Account Management to change credentials.",
          {},
          { "WWW-Authenticate": `Bearer realm="rotor-management", error="insufficient_scope", scope="${options.scope}"` },
        );
      }
      let text = "";
      let body: unknown;
      if (options.body) {
        if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
          return problem(413, "Content too large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
        }
        text = await request.text();
        if (text.length > MAX_BODY_BYTES)
          return problem(413, "Content too large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
        let json: unknown = {};
        if (text.trim() !== "") {
          try {
            json = JSON.parse(text);
          } catch {
            return problem(400, "Bad request", "The body is not valid JSON.");
          }
        }
        const parsed = options.body.safeParse(json);
        if (!parsed.success) return zodProblem(parsed.error);
        body = parsed.data;
      }
      const keyRing = loadKeyRing(env());
      const ctx: CredentialContext = {
        db,
        organisation: principal.organisation,
        role: principal.role,
        isOperator: false,
        actor: {
          type: "api_token",
          userId: principal.userId,
          tokenId: principal.tokenId,
          label: `${principal.email ?? principal.userId} (API token "${principal.tokenName}")`,
          ...clientAddress(request.headers),
        },
        clock: () => new Date(),
        keyRing,
      };
      const url = new URL(request.url);
      const run = async () => handler({ ctx, principal, params: await route.params, body: body as never, url });
      if (options.idempotent) {
        return await withIdempotency(
          db,
          {
            tokenId: principal.tokenId,
            key: request.headers.get("idempotency-key"),
            fingerprint: requestFingerprint(request.method, url.pathname, text),
            keyRing,
            now,
          },
          run,
        );
      }
      return jsonResponse(await run());
    } catch (error) {
      if (isDomainError(error)) {
        const { status, title } = STATUS_FOR[error.code];
        return problem(status, title, error.message, error.field ? { errors: [{ field: error.field, message: error.message }] } : {});
      }
      if (error instanceof z.ZodError) return zodProblem(error);
      // By class and SQLSTATE only: a failed query's message carries its parameters.
      log().error(`management API: unexpected ${errorSummary(error)}`);
      // The database refused a value the request carried (SQLSTATE class 22): the caller's to fix.
      if (isDataException(error)) {
        return problem(400, "Bad request", "A value in the request cannot be stored; remove any control characters and try again.");
      }
      return problem(500, "Internal server error", "Something went wrong on our side and the change was not made. Try again.");
    }
  };
}
