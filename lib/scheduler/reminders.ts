import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { rows } from "./sql-rows";

/*
 * Seed 000's reminders, set-based: for every live credential, the calendar days left in its
 * organisation's zone, the most urgent reminder threshold that is due (the smallest offset at or
 * above the days left), skipped when that threshold or a more urgent one was already recorded.
 * This is lib/rotation's reminderDue in SQL; the scheduler simulation test checks the two agree.
 * The delivery row (unique per credential and threshold) and its outbox message are written by
 * one statement, so a crash cannot leave one without the other, and a concurrent run's insert of
 * the same delivery is skipped along with its e-mail.
 */

const recipients = (org: ReturnType<typeof sql>) => sql`
  (select array_agg(distinct u.email order by u.email)
   from membership m join "user" u on u.id = m.user_id
   where m.organisation_id = ${org} and m.status = 'active' and m.role in ('admin', 'spoc') and u.email is not null)`;

function subject(kind: "client secret" | "public key") {
  // A literal from a closed set, not user input.
  return sql`'Your ' || ${sql.raw(`'${kind}'`)} || ' for ' || f.client_name || ' expires ' ||
    case f.days_left when 0 then 'today' when 1 then 'tomorrow' else 'in ' || f.days_left || ' days' end`;
}

export async function enqueueSecretReminders(db: Database, now: Date): Promise<number> {
  // Raw SQL parameters go as ISO strings: postgres.js (as drizzle sets it up) takes no Date objects.
  const at = now.toISOString();
  const [result] = await rows<{ n: number }>(
    db,
    sql`
      with live as (
        select s.id as secret_id, s.client_id as client_uuid, s.masked_tail, s.last_used_at,
               c.client_id, c.name as client_name, o.id as org_id, o.slug, o.name as org_name, o.time_zone, o.locale,
               o.reminder_offsets, o.auto_issue,
               ((s.expires_at - interval '1 millisecond') at time zone o.time_zone)::date as expiry_date,
               (${at}::timestamptz at time zone o.time_zone)::date as today
        from client_secret s
        join oauth_client c on c.id = s.client_id and c.disabled_at is null
        join organisation o on o.id = c.organisation_id
        where s.revoked_at is null and s.expires_at > ${at} and s.created_at <= ${at}
      ), due as (
        select l.*, l.expiry_date - l.today as days_left,
               (select min(t) from unnest(l.reminder_offsets) as t where t >= l.expiry_date - l.today) as threshold
        from live l
      ), fresh as (
        select d.* from due d
        where d.days_left >= 0 and d.threshold is not null
          and not exists (select 1 from reminder_delivery r where r.secret_id = d.secret_id and r.threshold_days <= d.threshold)
      ), recorded as (
        insert into reminder_delivery (secret_id, threshold_days, due_on)
        select secret_id, threshold, today from fresh
        on conflict do nothing
        returning id, secret_id
      ), mailed as (
        insert into email_outbox (organisation_id, reminder_delivery_id, kind, to_addresses, subject, template, data, created_at, next_attempt_at)
        select f.org_id, r.id, 'expiry_reminder', ${recipients(sql`f.org_id`)}, ${subject("client secret")}, 'expiry-reminder',
               jsonb_build_object(
                 'organisation', f.org_name, 'slug', f.slug, 'client', f.client_name, 'clientId', f.client_id,
                 'credential', 'secret', 'identifier', '••••' || f.masked_tail, 'expiryDate', f.expiry_date::text,
                 'timeZone', f.time_zone, 'locale', f.locale, 'autoIssue', f.auto_issue, 'lastUsedAt', f.last_used_at,
                 'successor', (
                   select jsonb_build_object('createdAt', n.created_at, 'lastUsedAt', n.last_used_at)
                   from client_secret n
                   where n.client_id = f.client_uuid and n.id <> f.secret_id and n.revoked_at is null
                     and n.expires_at > ${at} and n.replaces_secret_id = f.secret_id
                   limit 1)),
               ${at}, ${at}
        from recorded r join fresh f on f.secret_id = r.secret_id
        where ${recipients(sql`f.org_id`)} is not null
        returning 1
      )
      select (select count(*)::int from recorded) as n`,
  );
  return result?.n ?? 0;
}

/** The same schedule for public keys that have an expiry date. */
export async function enqueueKeyReminders(db: Database, now: Date): Promise<number> {
  // Raw SQL parameters go as ISO strings: postgres.js (as drizzle sets it up) takes no Date objects.
  const at = now.toISOString();
  const [result] = await rows<{ n: number }>(
    db,
    sql`
      with live as (
        select k.id as key_id, k.kid, k.last_used_at, c.client_id, c.name as client_name, o.id as org_id, o.slug, o.name as org_name,
               o.time_zone, o.locale, o.reminder_offsets, o.auto_issue,
               ((k.expires_at - interval '1 millisecond') at time zone o.time_zone)::date as expiry_date,
               (${at}::timestamptz at time zone o.time_zone)::date as today
        from client_public_key k
        join oauth_client c on c.id = k.client_id and c.disabled_at is null
        join organisation o on o.id = c.organisation_id
        where k.revoked_at is null and k.expires_at is not null and k.expires_at > ${at}
      ), due as (
        select l.*, l.expiry_date - l.today as days_left,
               (select min(t) from unnest(l.reminder_offsets) as t where t >= l.expiry_date - l.today) as threshold
        from live l
      ), fresh as (
        select d.* from due d
        where d.days_left >= 0 and d.threshold is not null
          and not exists (select 1 from reminder_delivery r where r.public_key_id = d.key_id and r.threshold_days <= d.threshold)
      ), recorded as (
        insert into reminder_delivery (public_key_id, threshold_days, due_on)
        select key_id, threshold, today from fresh
        on conflict do nothing
        returning id, public_key_id
      ), mailed as (
        insert into email_outbox (organisation_id, reminder_delivery_id, kind, to_addresses, subject, template, data, created_at, next_attempt_at)
        select f.org_id, r.id, 'key_expiry_reminder', ${recipients(sql`f.org_id`)}, ${subject("public key")}, 'expiry-reminder',
               jsonb_build_object(
                 'organisation', f.org_name, 'slug', f.slug, 'client', f.client_name, 'clientId', f.client_id,
                 'credential', 'key', 'identifier', f.kid, 'expiryDate', f.expiry_date::text,
                 'timeZone', f.time_zone, 'locale', f.locale, 'autoIssue', f.auto_issue, 'lastUsedAt', f.last_used_at, 'successor', null),
               ${at}, ${at}
        from recorded r join fresh f on f.key_id = r.public_key_id
        where ${recipients(sql`f.org_id`)} is not null
        returning 1
      )
      select (select count(*)::int from recorded) as n`,
  );
  return result?.n ?? 0;
}
