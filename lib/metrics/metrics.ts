import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { errorSummary } from "@/lib/error-summary";
import { log } from "@/lib/log/logger";

/**
 * The process's Prometheus series (docs/observability.md, "Metrics"). Names follow Prometheus's
 * conventions: the `rotor_` prefix, base units (seconds), `_total` on counters. Labels take values
 * from small closed sets only; a client id, an address or an e-mail never becomes a label (each
 * would be a new series per client, without bound).
 *
 * One registry per process, kept on globalThis: the self-hosted server loads lib/ twice (tsx's
 * module graph and Next's bundle), so the machine paths and the server actions must count into the
 * same series (the pattern of lib/oauth/runtime.ts).
 */

export const TOKEN_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"] as const;
export type TokenAuthMethod = (typeof TOKEN_AUTH_METHODS)[number];

/** "success" or the RFC 6749 5.2 error code the caller got (temporarily_unavailable when throttled). */
export const TOKEN_RESULTS = [
  "success",
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "invalid_scope",
  "invalid_target",
  "server_error",
  "temporarily_unavailable",
] as const;
export type TokenResult = (typeof TOKEN_RESULTS)[number];

/**
 * Why a client failed to authenticate, as far as the operator may know it. A wrong secret, an
 * unknown client and a malformed secret give the caller one answer on purpose, and one reason here.
 */
export const AUTH_FAILURE_REASONS = ["no_credentials", "secret_rejected", "assertion_rejected", "assertion_replayed"] as const;
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

/** Each limit of docs/security.md, "Rate limits", by the name of its setting. */
export const RATE_LIMITS = [
  "token_failures_per_client",
  "token_failures_per_address",
  "token_requests_per_client",
  "sign_in_per_email",
  "sign_in_per_email_total",
  "sign_in_per_address",
  "api_per_token",
] as const;
export type RateLimitName = (typeof RATE_LIMITS)[number];

/** How a secret came to be: the portal, the management API, the CLI, or the scheduler's auto-issue. */
export const SECRET_ISSUERS = ["manual", "api", "cli", "auto"] as const;
export type SecretIssuer = (typeof SECRET_ISSUERS)[number];

export const REMINDER_KINDS = ["secret", "key"] as const;
export const MAIL_RESULTS = ["sent", "retrying", "dead"] as const;

/** What the outbox looks like now, read at scrape time (lib/data/outbox.ts). */
export interface OutboxGauges {
  pending: number;
  /** Seconds since the oldest pending message was enqueued; 0 when none is pending. */
  oldestPendingAgeSeconds: number;
  dead: number;
  /** Webhook deliveries waiting and given up on (lib/data/webhooks.ts, docs/webhooks.md). */
  webhooks: { pending: number; dead: number };
}

function build() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const series = {
    registry,
    tokenRequests: new Counter({
      name: "rotor_token_requests_total",
      help: "Token endpoint requests, by client authentication method and result (success or the RFC 6749 error code).",
      labelNames: ["auth_method", "result"] as const,
      registers,
    }),
    tokenRequestDuration: new Histogram({
      name: "rotor_token_request_duration_seconds",
      help: "Time to answer a token request, from the request reaching the endpoint to its answer (a throttled answer's deliberate hold excluded).",
      labelNames: ["auth_method"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    clientAuthFailures: new Counter({
      name: "rotor_client_auth_failures_total",
      help: "Failed client authentications at the token endpoint, by reason.",
      labelNames: ["reason"] as const,
      registers,
    }),
    rateLimitRefusals: new Counter({
      name: "rotor_rate_limit_refusals_total",
      help: "Requests refused by a rate limit, by the limit's setting.",
      labelNames: ["limit"] as const,
      registers,
    }),
    schedulerRuns: new Counter({
      name: "rotor_scheduler_runs_total",
      help: "Scheduler runs in this process, by result.",
      labelNames: ["result"] as const,
      registers,
    }),
    schedulerRunDuration: new Histogram({
      name: "rotor_scheduler_run_duration_seconds",
      help: "Duration of a scheduler run, failed runs included.",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      registers,
    }),
    schedulerLastSuccess: new Gauge({
      name: "rotor_scheduler_last_success_timestamp_seconds",
      help: "When this process last finished a scheduler run without error (Unix time).",
      registers,
    }),
    secretsIssued: new Counter({
      name: "rotor_secrets_issued_total",
      help: "Client secrets issued, by how: manual (portal), api, cli or auto (the scheduler).",
      labelNames: ["how"] as const,
      registers,
    }),
    remindersEnqueued: new Counter({
      name: "rotor_reminders_enqueued_total",
      help: "Expiry reminders put in the outbox, by what expires.",
      labelNames: ["kind"] as const,
      registers,
    }),
    mailDeliveries: new Counter({
      name: "rotor_mail_deliveries_total",
      help: "Outbox delivery attempts by the scheduler, by outcome (sent, retrying later, dead: given up).",
      labelNames: ["result"] as const,
      registers,
    }),
    jwksFetchFailures: new Counter({
      name: "rotor_jwks_fetch_failures_total",
      help: "Failed fetches of a client's JWKS URL.",
      registers,
    }),
    outboxPending: new Gauge({ name: "rotor_outbox_pending_messages", help: "E-mails waiting in the outbox.", registers }),
    outboxOldestPendingAge: new Gauge({
      name: "rotor_outbox_oldest_pending_age_seconds",
      help: "Age of the oldest e-mail waiting in the outbox (0 when none waits).",
      registers,
    }),
    outboxDead: new Gauge({ name: "rotor_outbox_dead_messages", help: "E-mails given up on (dead) in the outbox.", registers }),
    webhookDeliveries: new Counter({
      name: "rotor_webhook_deliveries_total",
      help: "Webhook delivery attempts by the scheduler, by outcome (sent, retrying later, dead: given up).",
      labelNames: ["result"] as const,
      registers,
    }),
    webhookEndpointsDisabled: new Counter({
      name: "rotor_webhook_endpoints_disabled_total",
      help: "Webhook endpoints turned off by the scheduler for failing every attempt for a day.",
      registers,
    }),
    webhookPending: new Gauge({ name: "rotor_webhook_pending_deliveries", help: "Webhook deliveries waiting to be sent.", registers }),
    webhookDead: new Gauge({ name: "rotor_webhook_dead_deliveries", help: "Webhook deliveries given up on.", registers }),
  };
  // Every series with a closed label set exists from the start at 0, so rate() and alerts see the
  // first event rather than a series appearing out of nothing (Prometheus, "Avoid missing metrics").
  for (const m of TOKEN_AUTH_METHODS) {
    series.tokenRequestDuration.zero({ auth_method: m });
    for (const r of TOKEN_RESULTS) series.tokenRequests.inc({ auth_method: m, result: r }, 0);
  }
  for (const r of AUTH_FAILURE_REASONS) series.clientAuthFailures.inc({ reason: r }, 0);
  for (const l of RATE_LIMITS) series.rateLimitRefusals.inc({ limit: l }, 0);
  for (const r of ["success", "failure"]) series.schedulerRuns.inc({ result: r }, 0);
  for (const h of SECRET_ISSUERS) series.secretsIssued.inc({ how: h }, 0);
  for (const k of REMINDER_KINDS) series.remindersEnqueued.inc({ kind: k }, 0);
  for (const r of MAIL_RESULTS) series.mailDeliveries.inc({ result: r }, 0);
  for (const r of MAIL_RESULTS) series.webhookDeliveries.inc({ result: r }, 0);
  return series;
}

export type Metrics = ReturnType<typeof build>;

const key = Symbol.for("rotor.metrics");
type Holder = { [key]?: Metrics };

export function metrics(): Metrics {
  const holder = globalThis as Holder;
  holder[key] ??= build();
  return holder[key];
}

/** The Prometheus text exposition of every series, with the outbox read just now. */
export async function renderMetrics(readOutbox: () => Promise<OutboxGauges>): Promise<{ contentType: string; text: string }> {
  const m = metrics();
  try {
    const outbox = await readOutbox();
    m.outboxPending.set(outbox.pending);
    m.outboxOldestPendingAge.set(outbox.oldestPendingAgeSeconds);
    m.outboxDead.set(outbox.dead);
    m.webhookPending.set(outbox.webhooks.pending);
    m.webhookDead.set(outbox.webhooks.dead);
  } catch (error) {
    // An unreadable database shows NaN (Prometheus's "no value") rather than stale figures, and
    // says why in the log; docs/observability.md alerts on it.
    for (const gauge of [m.outboxPending, m.outboxOldestPendingAge, m.outboxDead, m.webhookPending, m.webhookDead]) gauge.set(Number.NaN);
    log().error({ err: errorSummary(error) }, "metrics: could not read the outbox");
  }
  return { contentType: m.registry.contentType, text: await m.registry.metrics() };
}
