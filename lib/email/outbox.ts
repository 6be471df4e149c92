import type { Database } from "@/db/client";
import type { KeyRing } from "@/lib/crypto/encryption";
import { claimDueMessages, claimMessage, markDead, markRetry, markSent, type OutboxRow } from "@/lib/data/outbox";
import { drainConcurrently } from "@/lib/delivery/drain";
import { errorSummary } from "@/lib/error-summary";
import { log } from "@/lib/log/logger";
import { renderMessage } from "./render";
import type { MailTransport } from "./transport";

export const MAX_ATTEMPTS = 12;
/** How long a claimed message is another sender's: a sender that dies mid-send leaves it to run out (webhooks use the same). */
export const LEASE_MS = 5 * 60_000;

/**
 * Mail whose body holds a credential (a sign-in link): once delivered, or given up on, its link
 * and bodies are erased from the outbox, whatever the transport, so the database never keeps a
 * usable link (Auth.js stores only the token's hash; a kept copy would undo that).
 */
export const ERASED_AFTER_DELIVERY = new Set(["sign_in_link"]);

/** 5 minutes, doubling, at most 6 hours: twelve tries span about 40 hours, so a day-long outage loses nothing. */
export function backoffMs(attempts: number): number {
  return Math.min(5 * 60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

export interface DrainSummary {
  sent: number;
  retrying: number;
  dead: number;
}

interface DeliveryOptions {
  now: Date;
  publicUrl: string;
  timeoutMs?: number;
  /** Opens what waits encrypted in the outbox (sign-in links). */
  keyRing?: KeyRing;
}

/** Sends one claimed message and records the outcome; never throws for a provider failure. */
async function deliverClaimed(
  db: Database,
  transport: MailTransport,
  message: OutboxRow,
  options: DeliveryOptions,
): Promise<keyof DrainSummary> {
  const erase = ERASED_AFTER_DELIVERY.has(message.kind);
  let rendered: { html: string; text: string; subject?: string };
  try {
    rendered =
      message.html && message.text
        ? { html: message.html, text: message.text }
        : await renderMessage(message, options.now, options.publicUrl, options.keyRing);
  } catch (error) {
    await markDead(db, message.id, `render failed: ${error instanceof Error ? error.name : "error"}`, erase);
    log().error({ messageId: message.id, kind: message.kind, err: errorSummary(error) }, "mail render failed: given up");
    return "dead";
  }
  const subject = rendered.subject ?? message.subject;
  const result = await transport.send(
    { id: message.id, to: message.toAddresses, subject, html: rendered.html, text: rendered.text },
    { timeoutMs: options.timeoutMs },
  );
  if (result.ok) {
    // What was sent, kept for the record; a credential-bearing message keeps nothing.
    await markSent(db, message.id, {
      at: options.now,
      subject,
      providerId: result.providerId,
      provider: transport.name,
      html: rendered.html,
      text: rendered.text,
      erase,
    });
    return "sent";
  }
  // The message's id and kind only: the provider's error stays in the outbox row (it may quote an address).
  const failure = { messageId: message.id, kind: message.kind, attempts: message.attempts };
  if (message.attempts >= MAX_ATTEMPTS) {
    await markDead(db, message.id, result.error, erase);
    log().error(failure, "mail delivery failed: given up");
    return "dead";
  }
  log().warn(failure, "mail delivery failed: will retry");
  await markRetry(db, message.id, result.error, new Date(options.now.getTime() + backoffMs(message.attempts)));
  return "retrying";
}

/**
 * Delivers one message now, by id: a sign-in link goes out with its own request, never behind a
 * backlog of reminders. It is claimed with the same lease as a batch, so the scheduler cannot
 * send it twice; if this send fails it stays pending and the scheduler retries it.
 */
export async function deliverMessage(
  db: Database,
  transport: MailTransport,
  id: string,
  options: DeliveryOptions,
): Promise<keyof DrainSummary | "not_due"> {
  const claimed = await claimMessage(db, id, options.now, new Date(options.now.getTime() + LEASE_MS));
  if (!claimed) return "not_due";
  return deliverClaimed(db, transport, claimed, options);
}

/** How long a run keeps delivering unless configured (ROTOR_MAIL_BUDGET_SECONDS): within a 60-second serverless limit. */
export const DEFAULT_BUDGET_MS = 50_000;
/** How many sends are in flight at once unless configured (ROTOR_MAIL_CONCURRENCY). */
export const DEFAULT_CONCURRENCY = 8;
/** Messages one sender claims at a time: small, so a budget spent mid-batch strands few leases. */
export const DEFAULT_CLAIM_BATCH = 10;

export interface DrainOptions extends DeliveryOptions {
  /** Messages each sender claims at once. */
  batch?: number;
  /** No sender claims more once this much time has passed (see elapsedMs); what it holds it still sends. */
  budgetMs?: number;
  /** Senders working at once, each with its own claims: at most this many provider calls in flight. */
  concurrency?: number;
  /** Time spent so far, in ms; by default since the drain started (the scheduler counts from the start of its run). */
  elapsedMs?: () => number;
}

/**
 * Delivers due outbox messages until none is left or the time budget is spent (a wave of
 * reminders is not cut at a fixed count), with `concurrency` senders at once. Each sender claims a
 * small batch with a lease (FOR UPDATE SKIP LOCKED), so no two senders, here or in a concurrent
 * run, take the same message; each message is sent with its own idempotency key and its outcome
 * (sent, retried with backoff, given up on) recorded exactly as one at a time. A worker that dies
 * mid-send leaves the lease to expire and the message is retried, with the same idempotency key.
 */
export async function drainOutbox(db: Database, transport: MailTransport, options: DrainOptions): Promise<DrainSummary> {
  const summary: DrainSummary = { sent: 0, retrying: 0, dead: 0 };
  const started = performance.now();
  const batch = Math.max(1, options.batch ?? DEFAULT_CLAIM_BATCH);
  await drainConcurrently({
    claim: () => claimDueMessages(db, options.now, new Date(options.now.getTime() + LEASE_MS), batch),
    deliver: async (message) => {
      summary[await deliverClaimed(db, transport, message, options)]++;
    },
    budgetMs: options.budgetMs ?? DEFAULT_BUDGET_MS,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    elapsedMs: options.elapsedMs ?? (() => performance.now() - started),
  });
  return summary;
}
