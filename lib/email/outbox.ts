import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { renderMessage } from "./render";
import type { MailTransport } from "./transport";

export const MAX_ATTEMPTS = 12;
const LEASE_MS = 5 * 60_000;

/**
 * Mail whose body holds a credential (a sign-in link): once delivered, or given up on, its link
 * and bodies are erased from the outbox, whatever the transport, so the database never keeps a
 * usable link in clear (Auth.js stores only the token's hash; a kept copy would undo that).
 */
export const ERASED_AFTER_DELIVERY = new Set(["sign_in_link"]);
const ERASED = { erased: true } as const;

/** 5 minutes, doubling, at most 6 hours: twelve tries span about 40 hours, so a day-long outage loses nothing. */
export function backoffMs(attempts: number): number {
  return Math.min(5 * 60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

export interface DrainSummary {
  sent: number;
  retrying: number;
  dead: number;
}

type Claimed = typeof emailOutbox.$inferSelect;

interface DeliveryOptions {
  now: Date;
  publicUrl: string;
  timeoutMs?: number;
}

/** Sends one claimed message and records the outcome; never throws for a provider failure. */
async function deliverClaimed(
  db: Database,
  transport: MailTransport,
  message: Claimed,
  options: DeliveryOptions,
): Promise<keyof DrainSummary> {
  const erase = ERASED_AFTER_DELIVERY.has(message.kind);
  let rendered: { html: string; text: string; subject?: string };
  try {
    rendered =
      message.html && message.text
        ? { html: message.html, text: message.text }
        : await renderMessage(message.template, message.data, options.now, options.publicUrl);
  } catch (error) {
    await db
      .update(emailOutbox)
      .set({
        status: "dead",
        lastError: `render failed: ${error instanceof Error ? error.name : "error"}`,
        ...(erase ? { data: ERASED, html: null, text: null } : {}),
      })
      .where(eq(emailOutbox.id, message.id));
    return "dead";
  }
  const subject = rendered.subject ?? message.subject;
  const result = await transport.send(
    { id: message.id, to: message.toAddresses, subject, html: rendered.html, text: rendered.text },
    { timeoutMs: options.timeoutMs },
  );
  if (result.ok) {
    await db
      .update(emailOutbox)
      .set({
        status: "sent",
        sentAt: options.now,
        subject,
        providerMessageId: result.providerId,
        provider: transport.name,
        // What was sent, kept for the record; a credential-bearing message keeps nothing.
        ...(erase ? { data: ERASED, html: null, text: null } : { html: rendered.html, text: rendered.text }),
        lastError: null,
      })
      .where(eq(emailOutbox.id, message.id));
    return "sent";
  }
  if (message.attempts >= MAX_ATTEMPTS) {
    await db
      .update(emailOutbox)
      .set({ status: "dead", lastError: result.error, ...(erase ? { data: ERASED, html: null, text: null } : {}) })
      .where(eq(emailOutbox.id, message.id));
    return "dead";
  }
  await db
    .update(emailOutbox)
    .set({ lastError: result.error, nextAttemptAt: new Date(options.now.getTime() + backoffMs(message.attempts)) })
    .where(eq(emailOutbox.id, message.id));
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
  const [claimed] = await db
    .update(emailOutbox)
    .set({ attempts: sql`${emailOutbox.attempts} + 1`, nextAttemptAt: new Date(options.now.getTime() + LEASE_MS) })
    .where(and(eq(emailOutbox.id, id), eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, options.now)))
    .returning();
  if (!claimed) return "not_due";
  return deliverClaimed(db, transport, claimed, options);
}

/**
 * Delivers due outbox messages until none is left or the time budget is spent (a wave of
 * reminders is not cut at a fixed count). Each batch is claimed with a lease (FOR UPDATE SKIP
 * LOCKED), so concurrent workers never take the same message; a worker that dies mid-send leaves
 * the lease to expire and the message is retried, with the same idempotency key.
 */
export async function drainOutbox(
  db: Database,
  transport: MailTransport,
  options: DeliveryOptions & { batch?: number; budgetMs?: number; elapsedMs?: () => number },
): Promise<DrainSummary> {
  const summary: DrainSummary = { sent: 0, retrying: 0, dead: 0 };
  const started = performance.now();
  const elapsed = options.elapsedMs ?? (() => performance.now() - started);
  const budget = options.budgetMs ?? 45_000;
  while (elapsed() < budget) {
    const due = db
      .select({ id: emailOutbox.id })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, options.now)))
      .orderBy(emailOutbox.createdAt)
      .limit(options.batch ?? 50)
      .for("update", { skipLocked: true });
    const claimed = await db
      .update(emailOutbox)
      .set({ attempts: sql`${emailOutbox.attempts} + 1`, nextAttemptAt: new Date(options.now.getTime() + LEASE_MS) })
      .where(inArray(emailOutbox.id, due))
      .returning();
    if (claimed.length === 0) break;
    for (const message of claimed) summary[await deliverClaimed(db, transport, message, options)]++;
  }
  return summary;
}
