import type { Database } from "@/db/client";
import { recordExpiries as record, schedulerTransaction } from "@/lib/data/scheduler";

/**
 * Records, once per credential, that a secret or key has expired, at the end of its expiry day in
 * the organisation's zone (its expires_at). The token endpoint already refuses it from then; this
 * puts the fact in the audit trail, each row with its event in one statement.
 */
export function recordExpiries(db: Database, now: Date): Promise<{ secrets: number; keys: number }> {
  return schedulerTransaction(db, (tx) => record(tx, now.toISOString()));
}
