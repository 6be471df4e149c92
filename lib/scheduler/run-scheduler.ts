import type { Database } from "@/db/client";
import type { KeyRing } from "@/lib/crypto/encryption";
import { sweepConsumedAssertions } from "@/lib/data/token-store";
import { type DrainSummary, drainOutbox } from "@/lib/email/outbox";
import type { MailTransport } from "@/lib/email/transport";
import { ensureSigningKeys } from "@/lib/oauth/signing-keys";
import { autoIssueDueSecrets } from "./auto-issue";
import { recordExpiries } from "./expiries";
import { enqueueKeyReminders, enqueueSecretReminders } from "./reminders";

export interface SchedulerDeps {
  db: Database;
  keyRing: KeyRing;
  publicUrl: string;
  /** Absent: enqueue only (the benchmark measures due computation, not delivery). */
  transport?: MailTransport;
}

export interface SchedulerSummary {
  at: string;
  autoIssued: number;
  /** Of those, successors issued after their predecessor had already expired (downtime longer than the overlap). */
  issuedAfterExpiry: number;
  expired: { secrets: number; keys: number };
  reminders: { secrets: number; keys: number };
  email: DrainSummary | null;
  housekeeping: { assertionsSwept: number; signingKeysCreated: string[] };
  durationMs: number;
}

/**
 * One scheduler run, each step idempotent, in the order of the reminder issue: issue the next
 * secrets that are due, record expiries, enqueue due reminders, deliver the outbox; then sweep
 * used assertion ids and keep the signing keys rotating. Safe to run as often as you like, from as
 * many instances as you like, at the same moment.
 */
export async function runScheduler(deps: SchedulerDeps, now: Date): Promise<SchedulerSummary> {
  const started = performance.now();
  const { issued: autoIssued, missed: issuedAfterExpiry } = await autoIssueDueSecrets(deps.db, deps.keyRing, now);
  const expired = await recordExpiries(deps.db, now);
  const reminders = { secrets: await enqueueSecretReminders(deps.db, now), keys: await enqueueKeyReminders(deps.db, now) };
  const email = deps.transport ? await drainOutbox(deps.db, deps.transport, { now, publicUrl: deps.publicUrl }) : null;
  const housekeeping = {
    assertionsSwept: await sweepConsumedAssertions(deps.db, now),
    signingKeysCreated: await ensureSigningKeys(deps.db, deps.keyRing, now),
  };
  return {
    at: now.toISOString(),
    autoIssued,
    issuedAfterExpiry,
    expired,
    reminders,
    email,
    housekeeping,
    durationMs: Math.round(performance.now() - started),
  };
}
