import type { Database } from "@/db/client";
import type { KeyRing } from "@/lib/crypto/encryption";
import {
  type ClaimedDelivery,
  claimDelivery,
  claimDueDeliveries,
  disableFailingEndpoint,
  markDelivered,
  markFailed,
  recordEndpointFailure,
  recordEndpointSuccess,
  signingSecretsOf,
} from "@/lib/data/webhooks";
import { drainConcurrently } from "@/lib/delivery/drain";
import { backoffMs, DEFAULT_BUDGET_MS, DEFAULT_CLAIM_BATCH, DEFAULT_CONCURRENCY, LEASE_MS, MAX_ATTEMPTS } from "@/lib/email/outbox";
import { errorSummary } from "@/lib/error-summary";
import { OutboundError, type OutboundLimits, outboundPost } from "@/lib/http/outbound";
import { log } from "@/lib/log/logger";
import { tellOwnersEndpointDisabled } from "./disabled-notice";
import { shouldDisable } from "./policy";
import { openSigningSecret, signWebhook } from "./signing";

/*
 * Webhook delivery (docs/webhooks.md, "Delivery"): the e-mail outbox's rules, for HTTP. Each
 * delivery (one event for one endpoint, unique in the database) is claimed with a lease, sent
 * signed, and recorded: sent on a 2xx answer; otherwise retried with the outbox's backoff and
 * given up on after as many attempts. An endpoint that fails every attempt for a day is turned off
 * and its owners told by e-mail, once. A test event is tried once and never counts against its
 * endpoint.
 */

export interface WebhookDeliveryOptions {
  now: Date;
  /** The instant a request is signed at: the real clock, whatever `now` the run was given (receivers check it). */
  signedAt?: () => Date;
  limits: OutboundLimits;
}

export interface WebhookDrainSummary {
  sent: number;
  retrying: number;
  dead: number;
  endpointsDisabled: number;
}

type Outcome = "sent" | "retrying" | "dead";

async function deliverClaimed(
  db: Database,
  keyRing: KeyRing,
  delivery: ClaimedDelivery,
  options: WebhookDeliveryOptions,
): Promise<{ outcome: Outcome; disabled: boolean }> {
  const signedAt = (options.signedAt ?? (() => new Date()))();
  const body = JSON.stringify(delivery.payload);
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const secrets = (await signingSecretsOf(db, [delivery.endpointId], options.now)).map((s) => openSigningSecret(s, keyRing));
    const answer = await outboundPost(delivery.url, body, options.limits, { ...signWebhook(delivery.eventId, body, secrets, signedAt) });
    statusCode = answer.status;
    if (answer.status < 200 || answer.status >= 300) error = failureText(answer.status, answer.body);
  } catch (thrown) {
    // An OutboundError's text is written for the endpoint's owner; anything else is ours, named only.
    if (!(thrown instanceof OutboundError)) log().error({ deliveryId: delivery.id, err: errorSummary(thrown) }, "webhook delivery error");
    error = thrown instanceof OutboundError ? thrown.message : "Rotor could not send it (an internal error, logged).";
  }
  const attempt = { at: options.now, statusCode, latencyMs: Math.round(performance.now() - started), error };
  if (error === null) {
    await markDelivered(db, delivery.id, attempt);
    await recordEndpointSuccess(db, delivery.endpointId);
    return { outcome: "sent", disabled: false };
  }
  const giveUp = delivery.test || delivery.attempts >= MAX_ATTEMPTS;
  await markFailed(db, delivery.id, attempt, giveUp ? null : new Date(options.now.getTime() + backoffMs(delivery.attempts)));
  log().warn(
    { deliveryId: delivery.id, endpointId: delivery.endpointId, attempts: delivery.attempts, statusCode },
    "webhook delivery failed",
  );
  if (delivery.test) return { outcome: "dead", disabled: false };
  const streak = await recordEndpointFailure(db, delivery.endpointId, options.now);
  let disabled = false;
  if (streak && streak.disabledAt === null && shouldDisable(streak, options.now)) {
    disabled = await db.transaction(async (tx) => {
      if (!(await disableFailingEndpoint(tx, delivery.endpointId, options.now))) return false;
      await tellOwnersEndpointDisabled(tx, delivery.endpointId, { ...streak, reason: error ?? "unknown", at: options.now });
      return true;
    });
    if (disabled) log().warn({ endpointId: delivery.endpointId, failures: streak.consecutiveFailures }, "webhook endpoint turned off");
  }
  return { outcome: giveUp ? "dead" : "retrying", disabled };
}

/** What the owner sees of a refusal: the status and the start of the answer, on one line. */
function failureText(status: number, body: string): string {
  const excerpt = body.replace(/\s+/g, " ").trim().slice(0, 200);
  const kind = status >= 300 && status < 400 ? "a redirect, which is not followed" : "not a 2xx status";
  return `The endpoint answered ${status}, ${kind}.${excerpt ? ` It said: ${excerpt}` : ""}`;
}

/** Sends one delivery now, by id (a test event, a replay, an event just recorded); "not_due" if it is not waiting. */
export async function deliverWebhook(
  db: Database,
  keyRing: KeyRing,
  id: string,
  options: WebhookDeliveryOptions,
): Promise<Outcome | "not_due"> {
  const claimed = await claimDelivery(db, id, options.now, new Date(options.now.getTime() + LEASE_MS));
  if (!claimed) return "not_due";
  return (await deliverClaimed(db, keyRing, claimed, options)).outcome;
}

export interface WebhookDrainOptions extends WebhookDeliveryOptions {
  budgetMs?: number;
  concurrency?: number;
  elapsedMs?: () => number;
  batch?: number;
}

/**
 * Delivers due webhooks until none is left or the budget is spent, `concurrency` senders at once,
 * exactly as the outbox drains mail (lib/delivery/drain.ts): each sender claims a small batch
 * (SKIP LOCKED), so no two senders, here or in a concurrent run, hold the same delivery.
 */
export async function drainWebhooks(db: Database, keyRing: KeyRing, options: WebhookDrainOptions): Promise<WebhookDrainSummary> {
  const summary: WebhookDrainSummary = { sent: 0, retrying: 0, dead: 0, endpointsDisabled: 0 };
  const started = performance.now();
  const batch = Math.max(1, options.batch ?? DEFAULT_CLAIM_BATCH);
  await drainConcurrently({
    claim: () => claimDueDeliveries(db, options.now, new Date(options.now.getTime() + LEASE_MS), batch),
    deliver: async (delivery) => {
      const { outcome, disabled } = await deliverClaimed(db, keyRing, delivery, options);
      summary[outcome]++;
      if (disabled) summary.endpointsDisabled++;
    },
    budgetMs: options.budgetMs ?? DEFAULT_BUDGET_MS,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    elapsedMs: options.elapsedMs ?? (() => performance.now() - started),
  });
  return summary;
}
