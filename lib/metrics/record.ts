import type { SchedulerSummary } from "@/lib/scheduler/run-scheduler";
import { type AuthFailureReason, metrics, type RateLimitName, type SecretIssuer, type TokenAuthMethod, type TokenResult } from "./metrics";

/**
 * The few calls the rest of lib/ makes to count something (docs/observability.md): each takes what
 * the caller already has and turns it into bounded labels here, so no call site can put a client id
 * or a free-text reason into a label.
 */

/** The method a token request used, as its headers and form say (before anything is checked). */
export function tokenAuthMethod(authorization: string | null, form: ReadonlyMap<string, string> | undefined): TokenAuthMethod {
  if (authorization !== null && /^basic /i.test(authorization)) return "client_secret_basic";
  if (form?.has("client_assertion")) return "private_key_jwt";
  if (form?.has("client_secret")) return "client_secret_post";
  return "none";
}

interface OAuthErrorLike {
  error: string;
  description: string;
}
const isOAuthError = (e: unknown): e is OAuthErrorLike =>
  typeof e === "object" && e !== null && e instanceof Error && e.name === "OAuthError" && "error" in e && "description" in e;

/** Why a request that ended in invalid_client failed (lib/oauth/client-authentication.ts gives one answer per method). */
export function authFailureReason(method: TokenAuthMethod, error: OAuthErrorLike): AuthFailureReason {
  if (method === "none") return "no_credentials";
  if (method !== "private_key_jwt") return "secret_rejected";
  return /jti has already been used/.test(error.description) ? "assertion_replayed" : "assertion_rejected";
}

/**
 * One token request's count and duration, called once as the request ends. `outcome` is
 * "success" or what the endpoint caught; an error that is not an OAuthError was a server_error.
 */
export function observeTokenRequest(
  startedMs: number,
  authorization: string | null,
  form: ReadonlyMap<string, string> | undefined,
  outcome: unknown,
): void {
  const m = metrics();
  const auth_method = tokenAuthMethod(authorization, form);
  const result = (outcome === "success" ? "success" : isOAuthError(outcome) ? outcome.error : "server_error") as TokenResult;
  m.tokenRequests.inc({ auth_method, result });
  m.tokenRequestDuration.observe({ auth_method }, (performance.now() - startedMs) / 1000);
  if (result === "invalid_client" && isOAuthError(outcome)) m.clientAuthFailures.inc({ reason: authFailureReason(auth_method, outcome) });
}

export function countRateLimitRefusal(limit: RateLimitName): void {
  metrics().rateLimitRefusals.inc({ limit });
}

const ISSUED_BY: Record<"user" | "api_token" | "cli" | "auto", SecretIssuer> = {
  user: "manual",
  api_token: "api",
  cli: "cli",
  auto: "auto",
};

export function countSecretIssued(issuedBy: keyof typeof ISSUED_BY, count = 1): void {
  if (count > 0) metrics().secretsIssued.inc({ how: ISSUED_BY[issuedBy] }, count);
}

export function countJwksFetchFailure(): void {
  metrics().jwksFetchFailures.inc();
}

/** A finished scheduler run: its result and duration, and what it issued, enqueued and delivered. */
export function observeSchedulerRun(seconds: number, summary: SchedulerSummary | null): void {
  const m = metrics();
  m.schedulerRuns.inc({ result: summary ? "success" : "failure" });
  m.schedulerRunDuration.observe(seconds);
  if (!summary) return;
  m.schedulerLastSuccess.set(Date.now() / 1000);
  countSecretIssued("auto", summary.autoIssued);
  m.remindersEnqueued.inc({ kind: "secret" }, summary.reminders.secrets);
  m.remindersEnqueued.inc({ kind: "key" }, summary.reminders.keys);
  if (summary.email) for (const result of ["sent", "retrying", "dead"] as const) m.mailDeliveries.inc({ result }, summary.email[result]);
  const hooks = summary.webhooks.delivery;
  if (hooks) {
    for (const result of ["sent", "retrying", "dead"] as const) m.webhookDeliveries.inc({ result }, hooks[result]);
    m.webhookEndpointsDisabled.inc(hooks.endpointsDisabled);
  }
}
