import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { emailOutbox } from "@/db/schema";

/** The e-mail outbox's statements (lib/email/outbox.ts decides what to send and when). */

export type OutboxRow = typeof emailOutbox.$inferSelect;
export type OutboxInsert = typeof emailOutbox.$inferInsert;

/** What a credential-bearing message keeps once delivered or given up on: nothing of its content. */
export const ERASED_DATA = { erased: true } as const;

export async function enqueueMessage(db: Executor, message: OutboxInsert): Promise<string> {
  const [row] = await db.insert(emailOutbox).values(message).returning({ id: emailOutbox.id });
  if (!row) throw new Error("outbox insert returned nothing");
  return row.id;
}

/** Claims one due message by id with a lease; null when it is not due (sent, leased elsewhere, not yet). */
export async function claimMessage(db: Executor, id: string, now: Date, leaseUntil: Date): Promise<OutboxRow | null> {
  const [claimed] = await db
    .update(emailOutbox)
    .set({ attempts: sql`${emailOutbox.attempts} + 1`, nextAttemptAt: leaseUntil })
    .where(and(eq(emailOutbox.id, id), eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, now)))
    .returning();
  return claimed ?? null;
}

/** Claims up to `limit` due messages, oldest first, skipping those another worker holds. */
export async function claimDueMessages(db: Executor, now: Date, leaseUntil: Date, limit: number): Promise<OutboxRow[]> {
  const due = db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, now)))
    .orderBy(emailOutbox.createdAt)
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(emailOutbox)
    .set({ attempts: sql`${emailOutbox.attempts} + 1`, nextAttemptAt: leaseUntil })
    .where(inArray(emailOutbox.id, due))
    .returning();
}

export async function markSent(
  db: Executor,
  id: string,
  sent: { at: Date; subject: string; providerId: string; provider: string; html: string | null; text: string | null; erase: boolean },
) {
  await db
    .update(emailOutbox)
    .set({
      status: "sent",
      sentAt: sent.at,
      subject: sent.subject,
      providerMessageId: sent.providerId,
      provider: sent.provider,
      ...(sent.erase ? { data: ERASED_DATA, html: null, text: null } : { html: sent.html, text: sent.text }),
      lastError: null,
    })
    .where(eq(emailOutbox.id, id));
}

export async function markDead(db: Executor, id: string, error: string, erase: boolean) {
  await db
    .update(emailOutbox)
    .set({ status: "dead", lastError: error, ...(erase ? { data: ERASED_DATA, html: null, text: null } : {}) })
    .where(eq(emailOutbox.id, id));
}

export async function markRetry(db: Executor, id: string, error: string, nextAttemptAt: Date) {
  await db.update(emailOutbox).set({ lastError: error, nextAttemptAt }).where(eq(emailOutbox.id, id));
}

/**
 * Gives up on messages of these kinds still waiting since before `before` (a sign-in link is worth
 * nothing once it has expired), erasing them like delivered ones.
 */
export async function expireUndelivered(db: Executor, kinds: string[], before: Date): Promise<number> {
  const gone = await db
    .update(emailOutbox)
    .set({ status: "dead", lastError: "expired before it could be delivered", data: ERASED_DATA, html: null, text: null })
    .where(and(inArray(emailOutbox.kind, kinds), eq(emailOutbox.status, "pending"), lte(emailOutbox.createdAt, before)))
    .returning({ id: emailOutbox.id });
  return gone.length;
}

/**
 * The outbox's health for the metrics scrape (docs/observability.md): how many wait, since when the
 * oldest has, and how many were given up on. Pending and dead rows only, through
 * email_outbox_due_idx's leading status column, so a long history of sent mail costs nothing.
 */
export async function readOutboxHealth(
  db: Executor,
  now: Date,
): Promise<{ pending: number; oldestPendingAgeSeconds: number; dead: number }> {
  const [row] = await db
    .select({
      pending: sql<number>`count(*) filter (where ${emailOutbox.status} = 'pending')::int`,
      oldest: sql<string | null>`min(${emailOutbox.createdAt}) filter (where ${emailOutbox.status} = 'pending')`,
      dead: sql<number>`count(*) filter (where ${emailOutbox.status} = 'dead')::int`,
    })
    .from(emailOutbox)
    .where(inArray(emailOutbox.status, ["pending", "dead"]));
  const oldest = row?.oldest ? new Date(row.oldest).getTime() : null;
  return {
    pending: Number(row?.pending ?? 0),
    oldestPendingAgeSeconds: oldest === null ? 0 : Math.max(0, (now.getTime() - oldest) / 1000),
    dead: Number(row?.dead ?? 0),
  };
}
