import type { Database } from "@/db/client";
import { SIGN_IN_LINK_MINUTES } from "@/lib/auth/email-sign-in";
import type { KeyRing } from "@/lib/crypto/encryption";
import { sweepAuditEvents } from "@/lib/data/audit-search";
import { sweepIdempotencyRecords } from "@/lib/data/idempotency";
import { expireUndelivered } from "@/lib/data/outbox";
import { sweepConsumedAssertions } from "@/lib/data/token-store";
import { sweepClientAddresses } from "@/lib/data/usage";
import { recordOldSecretsStillInUse, sweepWebhookEvents } from "@/lib/data/webhooks";
import { type DrainSummary, drainOutbox } from "@/lib/email/outbox";
import type { MailTransport } from "@/lib/email/transport";
import { errorSummary } from "@/lib/error-summary";
import type { OutboundLimits } from "@/lib/http/outbound";
import { log } from "@/lib/log/logger";
import { IDEMPOTENCY_KEEP_MS } from "@/lib/management-api/idempotency";
import { observeSchedulerRun } from "@/lib/metrics/record";
import { ensureSigningKeys } from "@/lib/oauth/signing-keys";
import { KNOWN_FOR_MS } from "@/lib/rate-limit/runtime";
import { drainWebhooks, type WebhookDrainSummary } from "@/lib/webhooks/deliver";
import { autoIssueDueSecrets } from "./auto-issue";
import { recordExpiries } from "./expiries";
import { noticeFailingJwks } from "./jwks-failures";
import { enqueueKeyReminders, enqueueSecretReminders } from "./reminders";

export interface SchedulerDeps {
  db: Database;
  keyRing: KeyRing;
  publicUrl: string;
  /** Absent: enqueue only (the benchmark measures due computation, not delivery). */
  transport?: MailTransport;
  /**
   * Delivery's limits (ROTOR_MAIL_BUDGET_SECONDS, ROTOR_MAIL_CONCURRENCY): no more mail is claimed
   * once budgetMs has passed since the run started; at most `concurrency` sends at once.
   */
  mail?: { budgetMs?: number; concurrency?: number };
  /** Audit events older than this many days are deleted (ROTOR_AUDIT_RETENTION_DAYS); default 400. */
  auditRetentionDays?: number;
  /**
   * Webhook delivery (docs/webhooks.md): where requests may go (lib/webhooks/policy.ts). Absent:
   * events are recorded but not sent (the benchmark). signedAt: the clock signatures carry.
   */
  webhooks?: { limits: OutboundLimits; signedAt?: () => Date };
}

export interface SchedulerSummary {
  at: string;
  autoIssued: number;
  /** Of those, successors issued after their predecessor had already expired (downtime longer than the overlap). */
  issuedAfterExpiry: number;
  expired: { secrets: number; keys: number };
  reminders: { secrets: number; keys: number };
  /** Clients whose JWKS URL has kept failing, told to their people this run (lib/scheduler/jwks-failures.ts). */
  jwksFailuresTold: number;
  email: DrainSummary | null;
  webhooks: {
    /** old_secret.still_in_use events recorded this run (once per secret). */
    oldSecretsStillInUse: number;
    delivery: WebhookDrainSummary | null;
  };
  housekeeping: {
    assertionsSwept: number;
    signingKeysCreated: string[];
    /** Sign-in links given up on because they expired before they could be delivered. */
    signInLinksExpired: number;
    idempotencyRecordsSwept: number;
    clientAddressesSwept: number;
    /** Audit events past the deployment's retention (docs/domain.md, "The audit log"). */
    auditEventsSwept: number;
    /** Webhook events past the same retention, none of their deliveries still waiting. */
    webhookEventsSwept: number;
  };
  durationMs: number;
}

/**
 * One scheduler run, each step idempotent, in the order of the reminder issue: issue the next
 * secrets that are due, record expiries, enqueue due reminders, deliver the outbox (until it is
 * empty or the run's mail budget is spent, several sends at once), record old secrets still in
 * use and deliver the webhooks that wait (docs/webhooks.md); then sweep
 * used assertion ids and keep the signing keys rotating. Safe to run as often as you like, from as
 * many instances as you like, at the same moment.
 */
export async function runScheduler(deps: SchedulerDeps, now: Date): Promise<SchedulerSummary> {
  const started = performance.now();
  // Counted whoever runs it (the cron route, `npm run cron`, the CLI, the demo's timer): the run's
  // result and duration, what it issued, enqueued and delivered (docs/observability.md).
  let summary: SchedulerSummary | null = null;
  try {
    summary = await runSteps(deps, now, started);
    // Counts and timings only: the summary names no person, client or message.
    log().info({ scheduler: summary }, "scheduler run");
    return summary;
  } catch (error) {
    log().error({ err: errorSummary(error), durationMs: Math.round(performance.now() - started) }, "scheduler run failed");
    throw error;
  } finally {
    observeSchedulerRun((performance.now() - started) / 1000, summary);
  }
}

async function runSteps(deps: SchedulerDeps, now: Date, started: number): Promise<SchedulerSummary> {
  const { issued: autoIssued, missed: issuedAfterExpiry } = await autoIssueDueSecrets(deps.db, deps.keyRing, now);
  const expired = await recordExpiries(deps.db, now);
  const reminders = { secrets: await enqueueSecretReminders(deps.db, now), keys: await enqueueKeyReminders(deps.db, now) };
  const jwksFailuresTold = await noticeFailingJwks(deps.db, now);
  const email = deps.transport
    ? await drainOutbox(deps.db, deps.transport, {
        now,
        publicUrl: deps.publicUrl,
        keyRing: deps.keyRing,
        budgetMs: deps.mail?.budgetMs,
        concurrency: deps.mail?.concurrency,
        // Counted from the start of the run, so the whole run stays within the route's limit.
        elapsedMs: () => performance.now() - started,
      })
    : null;
  const oldSecretsStillInUse = await recordOldSecretsStillInUse(deps.db, now.toISOString());
  const delivery = deps.webhooks
    ? await drainWebhooks(deps.db, deps.keyRing, {
        now,
        limits: deps.webhooks.limits,
        signedAt: deps.webhooks.signedAt,
        budgetMs: deps.mail?.budgetMs,
        concurrency: deps.mail?.concurrency,
        elapsedMs: () => performance.now() - started,
      })
    : null;
  const retention = new Date(now.getTime() - (deps.auditRetentionDays ?? 400) * 86_400_000);
  const housekeeping = {
    assertionsSwept: await sweepConsumedAssertions(deps.db, now),
    signingKeysCreated: await ensureSigningKeys(deps.db, deps.keyRing, now),
    signInLinksExpired: await expireUndelivered(deps.db, ["sign_in_link"], new Date(now.getTime() - SIGN_IN_LINK_MINUTES * 60_000)),
    idempotencyRecordsSwept: await sweepIdempotencyRecords(deps.db, new Date(now.getTime() - IDEMPOTENCY_KEEP_MS)),
    clientAddressesSwept: await sweepClientAddresses(deps.db, new Date(now.getTime() - 2 * KNOWN_FOR_MS)),
    auditEventsSwept: await sweepAuditEvents(deps.db, retention),
    webhookEventsSwept: await sweepWebhookEvents(deps.db, retention),
  };
  return {
    at: now.toISOString(),
    autoIssued,
    issuedAfterExpiry,
    expired,
    reminders,
    jwksFailuresTold,
    email,
    webhooks: { oldSecretsStillInUse, delivery },
    housekeeping,
    durationMs: Math.round(performance.now() - started),
  };
}
