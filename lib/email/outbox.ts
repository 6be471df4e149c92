import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { renderMessage } from "./render";
import type { MailTransport } from "./transport";

export const MAX_ATTEMPTS = 12;
const LEASE_MS = 5 * 60_000;

/** 5 minutes, doubling, at most 6 hours: twelve tries span about 40 hours, so a day-long outage loses nothing. */
export function backoffMs(attempts: number): number {
  return Math.min(5 * 60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

export interface DrainSummary {
  sent: number;
  retrying: number;
  dead: number;
}

/**
 * Delivers due outbox messages. Each batch is claimed with a lease (FOR UPDATE SKIP LOCKED), so
 * concurrent workers never take the same message; a worker that dies mid-send leaves the lease to
 * expire and the message is retried, with the same idempotency key.
 */
export async function drainOutbox(
  db: Database,
  transport: MailTransport,
  options: { now: Date; publicUrl: string; batch?: number; maxBatches?: number },
): Promise<DrainSummary> {
  const summary: DrainSummary = { sent: 0, retrying: 0, dead: 0 };
  for (let round = 0; round < (options.maxBatches ?? 20); round++) {
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
    for (const message of claimed) {
      let rendered: { html: string; text: string };
      try {
        rendered =
          message.html && message.text
            ? { html: message.html, text: message.text }
            : await renderMessage(message.template, message.data, options.now, options.publicUrl);
      } catch (error) {
        await db
          .update(emailOutbox)
          .set({ status: "dead", lastError: `render failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300) })
          .where(eq(emailOutbox.id, message.id));
        summary.dead++;
        continue;
      }
      const result = await transport.send({ id: message.id, to: message.toAddresses, subject: message.subject, ...rendered });
      if (result.ok) {
        await db
          .update(emailOutbox)
          .set({
            status: "sent",
            sentAt: options.now,
            providerMessageId: result.providerId,
            provider: transport.name,
            html: rendered.html,
            text: rendered.text,
            lastError: null,
          })
          .where(eq(emailOutbox.id, message.id));
        summary.sent++;
      } else if (message.attempts >= MAX_ATTEMPTS) {
        await db.update(emailOutbox).set({ status: "dead", lastError: result.error }).where(eq(emailOutbox.id, message.id));
        summary.dead++;
      } else {
        await db
          .update(emailOutbox)
          .set({ lastError: result.error, nextAttemptAt: new Date(options.now.getTime() + backoffMs(message.attempts)) })
          .where(eq(emailOutbox.id, message.id));
        summary.retrying++;
      }
    }
  }
  return summary;
}
