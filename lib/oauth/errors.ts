import { errorSummary, isDataException } from "@/lib/error-summary";
import { TextResponse } from "./buffered";

/**
 * RFC 6749 5.2 error responses, built in one place. invalid_client is 401, with a
 * WWW-Authenticate challenge when the client used HTTP Basic (RFC 6749 5.2). No error ever
 * carries a stack trace or a value the client sent as a credential.
 */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "invalid_target"
  | "server_error"
  /** RFC 6749 4.1.2.1's "try again later", sent with 429 and Retry-After when a caller is throttled. */
  | "temporarily_unavailable";

/**
 * RFC 6749 5.2: error_description holds %x20-21 / %x23-5B / %x5D-7E only. Anything else (a quote,
 * a backslash, a control or non-ASCII character, perhaps echoed from the request) becomes a safe
 * look-alike, so no description can break the rule whatever a caller sent.
 */
export function oauthDescriptionText(text: string): string {
  return text
    .replace(/"/g, "'")
    .replace(/\\/g, "/")
    .replace(/[^\x20-\x7e]/g, "?");
}

export class OAuthError extends Error {
  override name = "OAuthError";
  /** What the caller is told, within RFC 6749 5.2's characters. */
  readonly description: string;
  /**
   * The precise reason, when the caller is told less: logged, and shown to the client's own
   * designated user by the Dev Tools assertion checker, never sent to an anonymous caller.
   */
  reason?: string;
  constructor(
    readonly error: OAuthErrorCode,
    description: string,
    readonly status = error === "invalid_client" ? 401 : error === "server_error" ? 500 : 400,
    /** Offer the Basic challenge even though the client did not use Basic (no authentication at all). */
    readonly challenge = false,
    /** Seconds until a throttled caller may try again (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(description);
    this.description = oauthDescriptionText(description);
  }
}

/** The one message for every client-authentication failure, so unknown clients and wrong secrets look alike. */
export const CLIENT_AUTH_FAILED = "Client authentication failed.";

const JSON_HEADERS = { "Content-Type": "application/json;charset=UTF-8", "Cache-Control": "no-store", Pragma: "no-cache" };

export function oauthErrorResponse(error: OAuthError, basicUsed: boolean, extraHeaders: Record<string, string> = {}): Response {
  const headers: Record<string, string> = { ...JSON_HEADERS, ...extraHeaders };
  if (error.error === "invalid_client" && (basicUsed || error.challenge))
    headers["WWW-Authenticate"] = 'Basic realm="oauth", charset="UTF-8"';
  if (error.retryAfterSeconds !== undefined) headers["Retry-After"] = String(error.retryAfterSeconds);
  return new TextResponse(JSON.stringify({ error: error.error, error_description: error.description }), { status: error.status, headers });
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  // A cacheable answer (metadata, JWKS) says so once: Pragma: no-cache beside a max-age contradicts it.
  const base =
    headers["Cache-Control"] && headers["Cache-Control"] !== "no-store" ? { "Content-Type": JSON_HEADERS["Content-Type"] } : JSON_HEADERS;
  return new TextResponse(JSON.stringify(body), { status, headers: { ...base, ...headers } });
}

/**
 * Anything else that went wrong in an endpoint: logged by its class and SQLSTATE only (never the
 * message: a failed query's carries its parameters), and answered in JSON, never HTML. A value the
 * database refused (SQLSTATE class 22) came from the request: invalid_request. Anything else is
 * ours: a 503 the client may retry.
 */
export function unexpectedErrorResponse(error: unknown, where: string, log: (line: string) => void): Response {
  log(`${where}: unexpected ${errorSummary(error)}`);
  if (isDataException(error)) {
    return oauthErrorResponse(
      new OAuthError("invalid_request", "A parameter holds a value that cannot be processed; remove any control characters."),
      false,
    );
  }
  return oauthErrorResponse(new OAuthError("server_error", "The server could not answer just now; try again.", 503), false, {
    "Retry-After": "1",
  });
}

/** A caller over its limit of failed client authentications (docs/security.md, "Rate limits"). */
export function throttled(retryAfterSeconds: number): OAuthError {
  return new OAuthError(
    "temporarily_unavailable",
    `Too many failed client authentications; try again in ${retryAfterSeconds} seconds.`,
    429,
    false,
    retryAfterSeconds,
  );
}
