import { z } from "zod";
import type { Database } from "@/db/client";
import { type ApiPrincipal, identifyApiToken, type PlatformPrincipal } from "@/lib/api-tokens/api-tokens";
import { type OrganisationTokenScope, scopeAllows } from "@/lib/api-tokens/schemas";
import type { Actor, CredentialContext, PlatformContext } from "@/lib/context";
import type { KeyRing } from "@/lib/crypto/encryption";
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
import { deliverWebhooksSoon } from "@/lib/webhooks/deliver-soon";
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

/** A request to an operator's endpoint: the context is the platform's; the endpoint finds the organisation. */
export interface PlatformRequest<Body> {
  ctx: PlatformContext & { keyRing: KeyRing };
  principal: PlatformPrincipal;
  params: Record<string, string>;
  body: Body;
  url: URL;
}

type Endpoint = (request: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
type BodyOf<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

function zodProblem(error: z.ZodError): Response {
  return problem(422, "Unprocessable content", "The request has invalid fields; see errors.", {
    errors: error.issues.map((i) => ({ field: i.path.join(".") || "body", message: i.message })),
  });
}

const insufficientScope = (detail: string, scope: string) =>
  problem(
    403,
    "Forbidden",
    detail,
    {},
    { "WWW-Authenticate": `Bearer realm="rotor-management", error="insufficient_scope", scope="${scope}"` },
  );

/** What every request's caller is, before the endpoint runs: an actor for the audit trail. */
function actorOf(principal: ApiPrincipal | PlatformPrincipal, request: Request): Actor {
  return {
    type: "api_token",
    userId: principal.userId,
    tokenId: principal.tokenId,
    label: `${principal.email ?? principal.userId} (API token "${principal.tokenName}")`,
    ...clientAddress(request.headers),
  };
}

/**
 * One route of the management API: authenticate the personal token on every request, parse and
 * validate the body, run the handler (which calls one use case), and answer in JSON or RFC 9457
 * problem+json. POSTs honour Idempotency-Key. Never a stack trace, never a secret in an error.
 * An organisation's endpoint serves a designated user's token; a platform token is refused with
 * a 403 that says where it belongs.
 */
export function managementRoute<Schema extends z.ZodType | undefined>(
  /** `scope`: what the token must allow (RFC 6750 3.1 insufficient_scope otherwise). */
  options: { scope: OrganisationTokenScope; body?: Schema; idempotent?: boolean },
  handler: (request: ManagementRequest<BodyOf<Schema>>) => Promise<ApiResult>,
): Endpoint {
  return serve(options, (principal, request, db, keyRing) => {
    if (principal.kind === "platform") {
      return insufficientScope(
        "This is a platform operator's token: it acts for no one organisation. Use the operator's endpoints under /api/v1/organisations/{organisation}/clients and /api/v1/platform, or a designated user's token for this one.",
        options.scope,
      );
    }
    if (!scopeAllows(principal.scope, options.scope)) {
      return insufficientScope(
        "This token is read-only. Create a token with the read and rotate scope in Account Management to change credentials.",
        options.scope,
      );
    }
    const ctx: CredentialContext = {
      db,
      organisation: principal.organisation,
      role: principal.role,
      isOperator: false,
      actor: actorOf(principal, request),
      clock: () => new Date(),
      keyRing,
    };
    return (params, body, url) => handler({ ctx, principal, params, body: body as never, url });
  });
}

/**
 * An operator's route of the management API (docs/domain.md, "The management API"): only a
 * platform token, whose owner the lookup has just found among the platform operators, so a
 * removed operator's token is refused from the next request. The use case authorizes again
 * (authorizeOperator).
 */
export function platformRoute<Schema extends z.ZodType | undefined>(
  options: { body?: Schema; idempotent?: boolean },
  handler: (request: PlatformRequest<BodyOf<Schema>>) => Promise<ApiResult>,
): Endpoint {
  return serve(options, (principal, request, db, keyRing) => {
    if (principal.kind !== "platform") {
      return insufficientScope(
        "Only a platform operator's token (scope platform) may use the operator's endpoints (an organisation's clients, the audit log across organisations). Platform operators create one in the Platform area of the portal or with rotor operator token.",
        "platform",
      );
    }
    const ctx = { db, actor: actorOf(principal, request), isOperator: true, clock: () => new Date(), keyRing };
    return (params, body, url) => handler({ ctx, principal, params, body: body as never, url });
  });
}

type Admitted = (params: Record<string, string>, body: unknown, url: URL) => Promise<ApiResult>;

function serve(
  options: { body?: z.ZodType | undefined; idempotent?: boolean },
  admit: (principal: ApiPrincipal | PlatformPrincipal, request: Request, db: Database, keyRing: KeyRing) => Response | Admitted,
): Endpoint {
  return async (request, route) => {
    try {
      const db = await getDb();
      const now = new Date();
      const principal = await identifyApiToken(db, request.headers.get("authorization"), now);
      if (!principal) {
        return problem(
          401,
          "Unauthorized",
          "Send a valid personal API token as Authorization: Bearer rtr_pat_... Tokens are created by the designated user in Account Management, and by platform operators in the Platform area.",
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
      const keyRing = loadKeyRing(env());
      const admitted = admit(principal, request, db, keyRing);
      if (admitted instanceof Response) return admitted;
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
      const url = new URL(request.url);
      // A change may have recorded webhook events: sent once the answer has gone (docs/webhooks.md).
      if (request.method !== "GET") deliverWebhooksSoon();
      const run = async () => admitted(await route.params, body, url);
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
