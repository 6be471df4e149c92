import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { rows } from "./sql-rows";

/**
 * Records, once per credential, that a secret or key has expired: at the end of its expiry day in
 * the organisation's zone (its expires_at). The token endpoint already refuses it from then; this
 * puts the fact in the audit trail. One statement per kind, idempotent.
 */
export async function recordExpiries(db: Database, now: Date): Promise<{ secrets: number; keys: number }> {
  // Raw SQL parameters go as ISO strings: postgres.js (as drizzle sets it up) takes no Date objects.
  const at = now.toISOString();
  const [secrets] = await rows<{ n: number }>(
    db,
    sql`
      with expired as (
        update client_secret set expiry_recorded_at = ${at}
        where expires_at <= ${at} and expiry_recorded_at is null and revoked_at is null
        returning id, client_id, masked_tail
      ), logged as (
        insert into audit_event (organisation_id, actor_type, actor_label, action, target_type, target_id, metadata, occurred_at)
        select c.organisation_id, 'system', 'Scheduler', 'secret.expired', 'client_secret', e.id::text,
               jsonb_build_object('client', c.client_id, 'maskedTail', e.masked_tail), ${at}
        from expired e join oauth_client c on c.id = e.client_id
        returning 1
      )
      select count(*)::int as n from logged`,
  );
  const [keys] = await rows<{ n: number }>(
    db,
    sql`
      with expired as (
        update client_public_key set expiry_recorded_at = ${at}
        where expires_at is not null and expires_at <= ${at} and expiry_recorded_at is null and revoked_at is null
        returning id, client_id, kid
      ), logged as (
        insert into audit_event (organisation_id, actor_type, actor_label, action, target_type, target_id, metadata, occurred_at)
        select c.organisation_id, 'system', 'Scheduler', 'key.expired', 'client_public_key', e.id::text,
               jsonb_build_object('client', c.client_id, 'kid', e.kid), ${at}
        from expired e join oauth_client c on c.id = e.client_id
        returning 1
      )
      select count(*)::int as n from logged`,
  );
  return { secrets: secrets?.n ?? 0, keys: keys?.n ?? 0 };
}
