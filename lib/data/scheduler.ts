import { type SQL, sql } from "drizzle-orm";
import type { Database, Executor, Transaction } from "@/db/client";
import { auditEvents, clientSecrets, emailOutbox, reminderDeliveries } from "@/db/schema";
import type { MintedSecret } from "@/lib/credentials/mint-secret";
import type { AuditAction } from "./audit";
import { holdsAPlace, keyAccepted, secretAccepted } from "./live";
import { autoIssueDayReached, calendarDay, expiryDay, reminderThreshold, reminderWindowEnd } from "./schedule-sql";
import { rows } from "./sql-rows";

/**
 * The scheduler's set-based statements (lib/scheduler runs them). Every rule in them is a
 * fragment of lib/data/live.ts or lib/data/schedule-sql.ts, proved equal to lib/rotation's
 * TypeScript; who is told and what the e-mail says is decided in TypeScript (lib/scheduler).
 * Instants go as ISO strings: postgres.js (as drizzle sets it up) takes no Date parameters.
 */

const t = (iso: string) => sql`${iso}::timestamptz`;

/**
 * A transaction for the scheduler's statements, with JIT off for them alone: Postgres compiled the
 * reminder statement on every run and the compiling cost more than the run
 * (docs/scheduler-performance.md). SET LOCAL ends with the transaction, so no session keeps it
 * (safe behind PgBouncer's transaction pooling).
 */
export function schedulerTransaction<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return work(tx);
  });
}
const expiredAction: AuditAction = "secret.expired";
const keyExpiredAction: AuditAction = "key.expired";

// --- auto-issue --------------------------------------------------------------------------------

export interface AutoIssueCandidate {
  client_uuid: string;
  client_id: string;
  client_name: string;
  organisation_id: string;
  organisation_name: string;
  slug: string;
  locale: string;
  time_zone: string;
  validity_days: number;
  overlap_days: number;
  reveal: boolean;
  /** The secret the new one succeeds, and when it stops (or stopped) being accepted. */
  current_id: string;
  current_expires_at: Date | string;
  /** True when the client has no live secret left: its last one expired before any run issued the next. */
  missed: boolean;
}

/**
 * Clients of auto-issue organisations that need their next secret now: either their one live
 * secret has reached its auto-issue day (docs/domain.md, "Client secrets"), or (after downtime
 * longer than the overlap) their last secret expired with no successor at all. "Live" counts every
 * secret neither revoked nor expired, whenever created, so a secret a person made after this run
 * read its clock still counts.
 *
 * Shaped so the plan cannot depend on statistics (a freshly loaded table has none): per client,
 * the secrets holding a place are read by (client_id, expires_at > now) from
 * client_secret_client_expires_idx, never the client's expired history; only a client with none
 * left reads its latest secret (a one-time filter skips that look-up for every other client).
 */
export function autoIssueCandidates(db: Executor, at: string, where: SQL, limit: number) {
  return rows<AutoIssueCandidate>(
    db,
    sql`
      select c.id as client_uuid, c.client_id, c.name as client_name, c.organisation_id, o.name as organisation_name, o.slug,
             o.locale, o.time_zone, o.validity_days, o.overlap_days, (o.secret_reveal_policy = 'reveal') as reveal,
             coalesce(live.id, latest.id) as current_id, coalesce(live.expires_at, latest.expires_at) as current_expires_at,
             (live.holders = 0) as missed
      from oauth_client c
      join organisation o on o.id = c.organisation_id
      cross join lateral (
        -- expires_at > now is implied by holdsAPlace (a secret always has an expiry); said apart, it bounds the index scan.
        select count(*)::int as holders, (array_agg(s.id))[1] as id, min(s.created_at) as created_at, min(s.expires_at) as expires_at
        from client_secret s
        where s.client_id = c.id and s.expires_at > ${t(at)}
          and ${holdsAPlace({ expiresAt: sql`s.expires_at`, revokedAt: sql`s.revoked_at` }, t(at))}
      ) live
      left join lateral (
        select s.id, s.expires_at, s.revoked_at
        from client_secret s
        where live.holders = 0 and s.client_id = c.id
        order by s.created_at desc
        limit 1
      ) latest on true
      where o.auto_issue and c.disabled_at is null and ${where}
        and (
          (live.holders = 1 and live.created_at <= ${t(at)}
            and ${autoIssueDayReached(sql`live.expires_at`, t(at), sql`o.time_zone`, sql`o.overlap_days`)})
          or (live.holders = 0 and latest.id is not null and latest.revoked_at is null)
        )
      order by c.id
      limit ${limit}`,
  );
}

/** Locks the given clients in id order (so concurrent runs cannot deadlock). */
export async function lockClients(tx: Executor, ids: string[]): Promise<void> {
  // A Postgres array literal: both drivers take it as one text parameter (uuids need no quoting).
  await tx.execute(sql`select id from oauth_client where id = any(${`{${ids.join(",")}}`}::uuid[]) order by id for update`);
}

export const clientIdIn = (ids: string[]) => sql`c.id = any(${`{${ids.join(",")}}`}::uuid[])`;
export const clientIdAfter = (after: string) => sql`c.id > ${after}`;

/** Stores auto-issued secrets; a successor some other issuer already made is skipped. Returns those stored. */
export async function insertAutoIssued(tx: Executor, secrets: { minted: MintedSecret; clientUuid: string; replaces: string }[]) {
  return tx
    .insert(clientSecrets)
    .values(
      secrets.map(({ minted, clientUuid, replaces }) => ({
        id: minted.id,
        clientId: clientUuid,
        digest: minted.digest,
        ciphertext: minted.ciphertext,
        encryptionKeyId: minted.encryptionKeyId,
        maskedTail: minted.maskedTail,
        createdAt: minted.createdAt,
        expiresAt: minted.expiresAt,
        issuedBy: "auto" as const,
        replacesSecretId: replaces,
      })),
    )
    .onConflictDoNothing({ target: clientSecrets.replacesSecretId, where: sql`${clientSecrets.revokedAt} is null` })
    .returning({ id: clientSecrets.id, clientUuid: clientSecrets.clientId });
}

export async function insertAuditEvents(tx: Executor, events: (typeof auditEvents.$inferInsert & { action: AuditAction })[]) {
  if (events.length > 0) await tx.insert(auditEvents).values(events);
}

// --- expiries ----------------------------------------------------------------------------------

/**
 * Records, once per credential, that a secret or key has expired (its expires_at has passed and it
 * was not revoked first), with its audit event in the same statement.
 */
export async function recordExpiries(db: Executor, at: string): Promise<{ secrets: number; keys: number }> {
  const [secrets] = await rows<{ n: number }>(
    db,
    sql`
      with expired as (
        update client_secret set expiry_recorded_at = ${t(at)}
        where expires_at <= ${t(at)} and expiry_recorded_at is null and revoked_at is null
        returning id, client_id, masked_tail
      ), logged as (
        insert into audit_event (organisation_id, actor_type, actor_label, action, target_type, target_id, metadata, occurred_at)
        select c.organisation_id, 'system', 'Scheduler', ${expiredAction}, 'client_secret', e.id::text,
               jsonb_build_object('client', c.client_id, 'maskedTail', e.masked_tail), ${t(at)}
        from expired e join oauth_client c on c.id = e.client_id
        returning 1
      )
      select count(*)::int as n from logged`,
  );
  const [keys] = await rows<{ n: number }>(
    db,
    sql`
      with expired as (
        update client_public_key set expiry_recorded_at = ${t(at)}
        where expires_at is not null and expires_at <= ${t(at)} and expiry_recorded_at is null and revoked_at is null
        returning id, client_id, kid
      ), logged as (
        insert into audit_event (organisation_id, actor_type, actor_label, action, target_type, target_id, metadata, occurred_at)
        select c.organisation_id, 'system', 'Scheduler', ${keyExpiredAction}, 'client_public_key', e.id::text,
               jsonb_build_object('client', c.client_id, 'kid', e.kid), ${t(at)}
        from expired e join oauth_client c on c.id = e.client_id
        returning 1
      )
      select count(*)::int as n from logged`,
  );
  return { secrets: secrets?.n ?? 0, keys: keys?.n ?? 0 };
}

// --- reminders ---------------------------------------------------------------------------------

export interface DueReminder {
  credential: "secret" | "key";
  credential_id: string;
  /** The masked tail of a secret, the kid of a key. */
  identifier: string;
  last_used_at: Date | string | null;
  client_uuid: string;
  client_id: string;
  client_name: string;
  organisation_id: string;
  slug: string;
  organisation_name: string;
  time_zone: string;
  locale: string;
  auto_issue: boolean;
  expiry_date: string;
  today: string;
  threshold: number;
  successor: { createdAt: string; lastUsedAt: string | null; maskedTail?: string; issuedBy?: string } | null;
}

/**
 * Live credentials whose most urgent reminder offset is due (lib/rotation's reminderDue) and not
 * yet recorded, that offset or a more urgent one: after downtime a late run sends one reminder,
 * not a burst. A page at a time, oldest expiry first.
 */
export function dueReminders(db: Executor, credential: "secret" | "key", at: string, limit: number) {
  if (credential === "secret") {
    return rows<DueReminder>(
      db,
      sql`
        select 'secret' as credential, s.id as credential_id, '••••' || s.masked_tail as identifier, s.last_used_at,
               c.id as client_uuid, c.client_id, c.name as client_name, o.id as organisation_id, o.slug, o.name as organisation_name,
               o.time_zone, o.locale, o.auto_issue,
               ${expiryDay(sql`s.expires_at`, sql`o.time_zone`)}::text as expiry_date,
               ${calendarDay(t(at), sql`o.time_zone`)}::text as today, due.threshold,
               (select jsonb_build_object('createdAt', n.created_at, 'lastUsedAt', n.last_used_at,
                                          'maskedTail', n.masked_tail, 'issuedBy', n.issued_by)
                from client_secret n
                where n.replaces_secret_id = s.id and ${secretAccepted({ createdAt: sql`n.created_at`, expiresAt: sql`n.expires_at`, revokedAt: sql`n.revoked_at` }, t(at))}
                limit 1) as successor
        from client_secret s
        join oauth_client c on c.id = s.client_id and c.disabled_at is null
        join organisation o on o.id = c.organisation_id
        -- OFFSET 0: the threshold is worked out once per credential, not again in each place that reads it.
        cross join lateral (select ${reminderThreshold(sql`s.expires_at`, t(at), sql`o.time_zone`, sql`o.reminder_offsets`)} as threshold offset 0) due
        where ${secretAccepted({ createdAt: sql`s.created_at`, expiresAt: sql`s.expires_at`, revokedAt: sql`s.revoked_at` }, t(at))}
          -- Only secrets expiring soon can have a reminder due: read by client_secret_expires_idx, not the whole table.
          and s.expires_at <= ${reminderWindowEnd(t(at), sql`(select max(offset_days) from organisation, unnest(reminder_offsets) offset_days)`)}
          and due.threshold is not null
          and not exists (select 1 from reminder_delivery r where r.secret_id = s.id and r.threshold_days <= due.threshold)
        order by s.expires_at, s.id
        limit ${limit}`,
    );
  }
  return rows<DueReminder>(
    db,
    sql`
      select 'key' as credential, k.id as credential_id, k.kid as identifier, k.last_used_at,
             c.id as client_uuid, c.client_id, c.name as client_name, o.id as organisation_id, o.slug, o.name as organisation_name,
             o.time_zone, o.locale, o.auto_issue,
             ${expiryDay(sql`k.expires_at`, sql`o.time_zone`)}::text as expiry_date,
             ${calendarDay(t(at), sql`o.time_zone`)}::text as today, due.threshold, null::jsonb as successor
      from client_public_key k
      join oauth_client c on c.id = k.client_id and c.disabled_at is null
      join organisation o on o.id = c.organisation_id
      cross join lateral (select ${reminderThreshold(sql`k.expires_at`, t(at), sql`o.time_zone`, sql`o.reminder_offsets`)} as threshold offset 0) due
      where k.expires_at is not null and ${keyAccepted({ expiresAt: sql`k.expires_at`, revokedAt: sql`k.revoked_at` }, t(at))}
        and due.threshold is not null
        and not exists (select 1 from reminder_delivery r where r.public_key_id = k.id and r.threshold_days <= due.threshold)
      order by k.expires_at, k.id
      limit ${limit}`,
  );
}

/**
 * Records that these reminders are sent (unique per credential and offset): returns the ones this
 * run recorded; a concurrent run that recorded one first wins it, with its e-mail.
 */
export async function recordReminderDeliveries(tx: Executor, due: DueReminder[], at: Date): Promise<Map<string, string>> {
  if (due.length === 0) return new Map();
  const inserted = await tx
    .insert(reminderDeliveries)
    .values(
      due.map((d) => ({
        secretId: d.credential === "secret" ? d.credential_id : null,
        publicKeyId: d.credential === "key" ? d.credential_id : null,
        thresholdDays: d.threshold,
        dueOn: d.today,
        // The run's instant: the expiring webhook event is dated by it (migration 0023_webhooks).
        createdAt: at,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: reminderDeliveries.id, secretId: reminderDeliveries.secretId, publicKeyId: reminderDeliveries.publicKeyId });
  return new Map(inserted.map((r) => [(r.secretId ?? r.publicKeyId)!, r.id]));
}

/** Active members of these organisations with their roles and addresses (who is told is decided by the caller). */
export function activeMembersOf(db: Executor, organisationIds: string[]) {
  if (organisationIds.length === 0) return Promise.resolve([]);
  return rows<{ organisation_id: string; role: "admin" | "spoc" | "member"; email: string }>(
    db,
    sql`
      select m.organisation_id, m.role, u.email
      from membership m join "user" u on u.id = m.user_id
      where m.organisation_id = any(${`{${[...new Set(organisationIds)].join(",")}}`}::uuid[]) and m.status = 'active' and u.email is not null
      order by u.email`,
  );
}

export type OutboxInsert = typeof emailOutbox.$inferInsert;

export async function enqueueMail(tx: Executor, messages: OutboxInsert[]): Promise<void> {
  if (messages.length > 0) await tx.insert(emailOutbox).values(messages);
}
