import { type SQL, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { AuditAction, AuditActor } from "./audit";
import { rows } from "./sql-rows";

/**
 * The audit log's search (docs/domain.md, "The audit log"): an organisation's events (or, for the
 * platform operator, every organisation's), newest first, filtered, a page at a time after a
 * position (occurred_at, id). Each row carries its target's name as it is now, joined from the
 * table the target lives in; where the target is gone (or was never a row, like an e-mail), the
 * caller falls back to the metadata and the id. Never a secret: the joins read names, tails,
 * labels and kids only.
 */

export const AUDIT_TARGET_TYPES = [
  "oauth_client",
  "client_secret",
  "client_public_key",
  "user",
  "membership",
  "office",
  "organisation",
  "personal_api_token",
  "webhook_endpoint",
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

export interface AuditSearchFilter {
  /** An organisation's id; undefined for every organisation (the operator's view). */
  organisationId: string | undefined;
  from?: Date | undefined;
  /** Exclusive. */
  to?: Date | undefined;
  /** Part of the actor's label, case-insensitive. */
  actor?: string | undefined;
  actorType?: AuditActor["type"] | undefined;
  action?: AuditAction | undefined;
  targetType?: AuditTargetType | undefined;
  /** The target's id exactly, or part of its name (client, person, office, label, kid, tail). */
  target?: string | undefined;
}

/** Where the previous page ended: the last row's time, to the microsecond, and id. */
export interface AuditPosition {
  occurredAt: string;
  id: string;
  /** Which way from there: older events (the next page) or newer ones (back). */
  direction: "older" | "newer";
}

export interface AuditSearchRow {
  id: string;
  /** ISO 8601 in UTC with microseconds, as stored, so a cursor compares exactly. */
  occurred_at: string;
  organisation_id: string | null;
  organisation_slug: string | null;
  organisation_name: string | null;
  actor_type: AuditActor["type"];
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  metadata: Record<string, unknown>;
  ip: string | null;
  /** The target's name from its own table, or null where none was found. */
  target_name: string | null;
  /** The client a secret or key belongs to, by name. */
  target_client: string | null;
}

// A target id is text (a uuid, a user id, and once an e-mail): cast to uuid only what looks like one.
const targetUuid = sql`(case when a.target_id ~ '^[0-9a-fA-F-]{36}$' then a.target_id::uuid end)`;

const targetName = sql`coalesce(
  oc.name,
  case when cs.id is not null then concat_ws(' ', 'ending ' || cs.masked_tail, '"' || cs.label || '"') end,
  case when pk.id is not null then concat_ws(' ', pk.kid, '"' || pk.label || '"') end,
  coalesce(tu.name, tu.email),
  coalesce(mu.name, mu.email),
  office.name,
  torg.name,
  pat.name
)`;

const joins = sql`
  left join organisation o on o.id = a.organisation_id
  left join oauth_client oc on a.target_type = 'oauth_client' and oc.id = ${targetUuid}
  left join client_secret cs on a.target_type = 'client_secret' and cs.id = ${targetUuid}
  left join client_public_key pk on a.target_type = 'client_public_key' and pk.id = ${targetUuid}
  left join oauth_client kc on kc.id = coalesce(cs.client_id, pk.client_id)
  left join "user" tu on a.target_type = 'user' and tu.id = a.target_id
  left join membership m on a.target_type = 'membership' and m.id = ${targetUuid}
  left join "user" mu on mu.id = m.user_id
  left join office on a.target_type = 'office' and office.id = ${targetUuid}
  left join organisation torg on a.target_type = 'organisation' and torg.id = ${targetUuid}
  left join personal_api_token pat on a.target_type = 'personal_api_token' and pat.id = ${targetUuid}`;

/** LIKE's own characters in a person's text match themselves. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function conditions(filter: AuditSearchFilter, after: AuditPosition | null): SQL {
  const parts: SQL[] = [sql`true`];
  if (filter.organisationId !== undefined) parts.push(sql`a.organisation_id = ${filter.organisationId}`);
  if (filter.from) parts.push(sql`a.occurred_at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to) parts.push(sql`a.occurred_at < ${filter.to.toISOString()}::timestamptz`);
  if (filter.actor) parts.push(sql`a.actor_label ilike ${likePattern(filter.actor)}`);
  if (filter.actorType) parts.push(sql`a.actor_type = ${filter.actorType}`);
  if (filter.action) parts.push(sql`a.action = ${filter.action}`);
  if (filter.targetType) parts.push(sql`a.target_type = ${filter.targetType}`);
  if (filter.target) {
    const pattern = likePattern(filter.target);
    parts.push(
      sql`(a.target_id = ${filter.target} or ${targetName} ilike ${pattern} or kc.name ilike ${pattern}
           or a.metadata->>'client' ilike ${pattern} or a.metadata->>'email' ilike ${pattern} or a.metadata->>'name' ilike ${pattern})`,
    );
  }
  // The next page holds what sorts strictly before the last row shown; going back, strictly after the first.
  if (after?.direction === "older") parts.push(sql`(a.occurred_at, a.id) < (${after.occurredAt}::timestamptz, ${after.id}::bigint)`);
  if (after?.direction === "newer") parts.push(sql`(a.occurred_at, a.id) > (${after.occurredAt}::timestamptz, ${after.id}::bigint)`);
  return sql.join(parts, sql` and `);
}

/**
 * One page after `after` (or from the newest), `limit` rows at most: older ones newest first; newer
 * ones oldest first (the ones nearest the position), for the caller to turn round.
 */
export async function searchAuditEvents(
  db: Executor,
  filter: AuditSearchFilter,
  after: AuditPosition | null,
  limit: number,
): Promise<AuditSearchRow[]> {
  return rows<AuditSearchRow>(
    db,
    sql`
      select a.id::text as id,
             to_char(a.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as occurred_at,
             a.organisation_id, o.slug as organisation_slug, o.name as organisation_name,
             a.actor_type, a.actor_label, a.action, a.target_type, a.target_id, a.metadata, a.ip,
             ${targetName} as target_name, kc.name as target_client
      from audit_event a ${joins}
      where ${conditions(filter, after)}
      order by ${after?.direction === "newer" ? sql`a.occurred_at asc, a.id asc` : sql`a.occurred_at desc, a.id desc`}
      limit ${limit}`,
  );
}

/**
 * Retention: deletes events that occurred at or before `before`, in batches so no one statement holds
 * long locks; returns how many went.
 */
export async function sweepAuditEvents(db: Executor, before: Date, batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteAuditBatch(db, before, batch);
    total += n;
    if (n < batch) return total;
  }
}

async function deleteAuditBatch(db: Executor, before: Date, batch: number): Promise<number> {
  const [row] = await rows<{ n: number }>(
    db,
    sql`
      with gone as (
        delete from audit_event where id in (
          select id from audit_event where occurred_at <= ${before.toISOString()}::timestamptz limit ${batch}
        ) returning 1
      )
      select count(*)::int as n from gone`,
  );
  return row?.n ?? 0;
}
