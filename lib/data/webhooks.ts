import { and, desc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { webhookDeliveries, webhookEndpoints, webhookEvents, webhookSigningSecrets } from "@/db/schema";
import { secretAccepted } from "./live";
import { daysLeft } from "./schedule-sql";
import { rows } from "./sql-rows";

/**
 * Webhooks' statements (docs/webhooks.md). Events and their deliveries are written by the
 * database when a change is audited or a reminder recorded (migration 0023_webhooks); what is
 * here registers endpoints, claims and records deliveries, and finds the one event the scheduler
 * decides itself (an old secret still in use).
 */

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Whose endpoint: an organisation's, or (null) the platform's. */
export type WebhookOwnerId = string | null;

const ownedBy = (owner: WebhookOwnerId) =>
  owner === null ? isNull(webhookEndpoints.organisationId) : eq(webhookEndpoints.organisationId, owner);

export interface StoredSigningSecret {
  /** Chosen before encrypting: the ciphertext is bound to its row (lib/data/cipher-contexts.ts). */
  id: string;
  ciphertext: string;
  encryptionKeyId: string;
  maskedTail: string;
}

export async function insertEndpoint(
  tx: Executor,
  endpoint: {
    id: string;
    organisationId: WebhookOwnerId;
    url: string;
    description: string | null;
    eventTypes: string[];
    createdByUserId: string | null;
    createdAt: Date;
  },
  secret: StoredSigningSecret,
): Promise<WebhookEndpointRow> {
  const [row] = await tx.insert(webhookEndpoints).values(endpoint).returning();
  if (!row) throw new Error("webhook endpoint insert returned nothing");
  await tx.insert(webhookSigningSecrets).values({ endpointId: row.id, ...secret, createdAt: endpoint.createdAt });
  return row;
}

export interface EndpointSummary extends WebhookEndpointRow {
  /** The current signing secret's last characters. */
  secretTail: string | null;
  /** Deliveries still to send (pending), and given up on. */
  pending: number;
  dead: number;
  lastDeliveredAt: Date | null;
}

/** An owner's endpoints, oldest first, with what waits for each. */
export async function listEndpoints(db: Executor, owner: WebhookOwnerId): Promise<EndpointSummary[]> {
  const found = await db
    .select({
      endpoint: webhookEndpoints,
      secretTail: webhookSigningSecrets.maskedTail,
      pending: sql<number>`(select count(*)::int from webhook_delivery d where d.endpoint_id = ${webhookEndpoints.id} and d.status = 'pending')`,
      dead: sql<number>`(select count(*)::int from webhook_delivery d where d.endpoint_id = ${webhookEndpoints.id} and d.status = 'dead')`,
      lastDeliveredAt: sql<
        string | null
      >`(select max(d.delivered_at) from webhook_delivery d where d.endpoint_id = ${webhookEndpoints.id})`,
    })
    .from(webhookEndpoints)
    .leftJoin(
      webhookSigningSecrets,
      and(eq(webhookSigningSecrets.endpointId, webhookEndpoints.id), isNull(webhookSigningSecrets.expiresAt)),
    )
    .where(ownedBy(owner))
    .orderBy(webhookEndpoints.createdAt, webhookEndpoints.id);
  return found.map((r) => ({
    ...r.endpoint,
    secretTail: r.secretTail,
    pending: Number(r.pending),
    dead: Number(r.dead),
    lastDeliveredAt: r.lastDeliveredAt ? new Date(r.lastDeliveredAt) : null,
  }));
}

/** One endpoint of this owner, or null (another owner's endpoint is not found, not forbidden). */
export async function findEndpoint(db: Executor, owner: WebhookOwnerId, id: string, lock = false): Promise<WebhookEndpointRow | null> {
  const query = db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), ownedBy(owner)));
  const [row] = lock ? await query.for("update") : await query;
  return row ?? null;
}

/** An endpoint by id alone, for delivery (which acts for the platform, not a caller). */
export async function findEndpointById(db: Executor, id: string): Promise<WebhookEndpointRow | null> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return row ?? null;
}

export async function updateEndpoint(
  tx: Executor,
  id: string,
  change: { url: string; description: string | null; eventTypes: string[] },
): Promise<void> {
  await tx.update(webhookEndpoints).set(change).where(eq(webhookEndpoints.id, id));
}

export async function deleteEndpoint(tx: Executor, id: string): Promise<void> {
  await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
}

/** Turns an endpoint off (by a person, or because it kept failing); its waiting deliveries wait. */
export async function disableEndpoint(tx: Executor, id: string, at: Date, reason: "person" | "failing"): Promise<void> {
  await tx.update(webhookEndpoints).set({ disabledAt: at, disabledReason: reason }).where(eq(webhookEndpoints.id, id));
}

/** Turns an endpoint back on with a clean record: what waits for it is tried again at once. */
export async function enableEndpoint(tx: Executor, id: string, at: Date): Promise<void> {
  await tx
    .update(webhookEndpoints)
    .set({ disabledAt: null, disabledReason: null, failingSince: null, consecutiveFailures: 0 })
    .where(eq(webhookEndpoints.id, id));
  await tx
    .update(webhookDeliveries)
    .set({ nextAttemptAt: at })
    .where(and(eq(webhookDeliveries.endpointId, id), eq(webhookDeliveries.status, "pending")));
}

/**
 * A new current signing secret; the one it replaces keeps signing until `previousUntil` (now, to
 * stop at once), and any older one still overlapping stops now: at most two sign at a time.
 */
export async function rotateSigningSecret(
  tx: Executor,
  endpointId: string,
  secret: StoredSigningSecret,
  at: Date,
  previousUntil: Date,
): Promise<void> {
  await tx
    .update(webhookSigningSecrets)
    .set({ expiresAt: at })
    .where(and(eq(webhookSigningSecrets.endpointId, endpointId), gt(webhookSigningSecrets.expiresAt, at)));
  await tx
    .update(webhookSigningSecrets)
    .set({ expiresAt: previousUntil })
    .where(and(eq(webhookSigningSecrets.endpointId, endpointId), isNull(webhookSigningSecrets.expiresAt)));
  await tx.insert(webhookSigningSecrets).values({ endpointId, ...secret, createdAt: at });
}

export type SigningSecretRow = typeof webhookSigningSecrets.$inferSelect;

/** The secrets that sign for these endpoints at `at`: the current one and any still in its overlap. */
export async function signingSecretsOf(db: Executor, endpointIds: string[], at: Date): Promise<SigningSecretRow[]> {
  if (endpointIds.length === 0) return [];
  return db
    .select()
    .from(webhookSigningSecrets)
    .where(
      and(
        inArray(webhookSigningSecrets.endpointId, endpointIds),
        or(isNull(webhookSigningSecrets.expiresAt), gt(webhookSigningSecrets.expiresAt, at)),
      ),
    )
    .orderBy(desc(webhookSigningSecrets.createdAt));
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  occurredAt: Date;
  status: "pending" | "sent" | "dead";
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
}

/** An endpoint's latest deliveries, newest event first. */
export async function listDeliveries(db: Executor, endpointId: string, limit: number): Promise<DeliveryView[]> {
  return db
    .select({
      id: webhookDeliveries.id,
      eventId: webhookDeliveries.eventId,
      eventType: webhookEvents.type,
      occurredAt: webhookEvents.occurredAt,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastLatencyMs: webhookDeliveries.lastLatencyMs,
      lastError: webhookDeliveries.lastError,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
}

/** A delivery to send: the event's body and where it goes. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  endpointId: string;
  organisationId: string | null;
  url: string;
  payload: Record<string, unknown>;
  attempts: number;
  test: boolean;
}

const claimedColumns = sql`d.id, d.event_id as "eventId", d.endpoint_id as "endpointId", e.organisation_id as "organisationId",
  e.url, ev.payload, d.attempts, (ev.type = 'webhook.test') as test`;

/**
 * Claims up to `limit` due deliveries to enabled endpoints, oldest first, with a lease (the same
 * as the e-mail outbox's): a concurrent run skips what another holds (SKIP LOCKED), and a worker
 * that dies mid-send leaves the lease to run out.
 */
export function claimDueDeliveries(db: Executor, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
  return rows<ClaimedDelivery>(
    db,
    sql`
      with due as (
        select d.id from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id
        where d.status = 'pending' and d.next_attempt_at <= ${now.toISOString()}::timestamptz and e.disabled_at is null
        order by d.next_attempt_at, d.id
        limit ${limit}
        for update of d skip locked
      ), claimed as (
        update webhook_delivery d set attempts = d.attempts + 1, next_attempt_at = ${leaseUntil.toISOString()}::timestamptz
        from due where d.id = due.id
        returning d.*
      )
      select ${claimedColumns}
      from claimed d join webhook_endpoint e on e.id = d.endpoint_id join webhook_event ev on ev.id = d.event_id`,
  );
}

/** Claims one delivery by id, if it is due and its endpoint enabled (a test event, a replay, a fresh event). */
export async function claimDelivery(db: Executor, id: string, now: Date, leaseUntil: Date): Promise<ClaimedDelivery | null> {
  const [claimed] = await rows<ClaimedDelivery>(
    db,
    sql`
      with claimed as (
        update webhook_delivery d set attempts = d.attempts + 1, next_attempt_at = ${leaseUntil.toISOString()}::timestamptz
        from webhook_endpoint e
        where d.id = ${id} and e.id = d.endpoint_id and e.disabled_at is null
          and d.status = 'pending' and d.next_attempt_at <= ${now.toISOString()}::timestamptz
        returning d.*
      )
      select ${claimedColumns}
      from claimed d join webhook_endpoint e on e.id = d.endpoint_id join webhook_event ev on ev.id = d.event_id`,
  );
  return claimed ?? null;
}

export interface AttemptRecord {
  at: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export async function markDelivered(db: Executor, id: string, attempt: AttemptRecord): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({
      status: "sent",
      deliveredAt: attempt.at,
      lastAttemptAt: attempt.at,
      lastStatusCode: attempt.statusCode,
      lastLatencyMs: attempt.latencyMs,
      lastError: null,
    })
    .where(eq(webhookDeliveries.id, id));
}

/** A failed attempt: tried again at `nextAttemptAt`, or (null) given up on. */
export async function markFailed(db: Executor, id: string, attempt: AttemptRecord, nextAttemptAt: Date | null): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({
      ...(nextAttemptAt ? { nextAttemptAt } : { status: "dead" as const }),
      lastAttemptAt: attempt.at,
      lastStatusCode: attempt.statusCode,
      lastLatencyMs: attempt.latencyMs,
      lastError: attempt.error,
    })
    .where(eq(webhookDeliveries.id, id));
}

/** The endpoint answered: its failure streak ends. */
export async function recordEndpointSuccess(db: Executor, endpointId: string): Promise<void> {
  await db
    .update(webhookEndpoints)
    .set({ failingSince: null, consecutiveFailures: 0 })
    .where(and(eq(webhookEndpoints.id, endpointId), gt(webhookEndpoints.consecutiveFailures, 0)));
}

/** The endpoint failed once more: its streak as it now stands (one statement, so concurrent failures all count). */
export async function recordEndpointFailure(
  db: Executor,
  endpointId: string,
  at: Date,
): Promise<{ consecutiveFailures: number; failingSince: Date; disabledAt: Date | null } | null> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({
      consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1`,
      failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${at.toISOString()}::timestamptz)`,
    })
    .where(eq(webhookEndpoints.id, endpointId))
    .returning({
      consecutiveFailures: webhookEndpoints.consecutiveFailures,
      failingSince: webhookEndpoints.failingSince,
      disabledAt: webhookEndpoints.disabledAt,
    });
  return row ? { consecutiveFailures: row.consecutiveFailures, failingSince: row.failingSince ?? at, disabledAt: row.disabledAt } : null;
}

/**
 * Disables an endpoint for failing, unless a person or another run already did: true only for the
 * one call that turned it off, so its owners are told once.
 */
export async function disableFailingEndpoint(db: Executor, endpointId: string, at: Date): Promise<boolean> {
  const turned = await db
    .update(webhookEndpoints)
    .set({ disabledAt: at, disabledReason: "failing" })
    .where(and(eq(webhookEndpoints.id, endpointId), isNull(webhookEndpoints.disabledAt)))
    .returning({ id: webhookEndpoints.id });
  return turned.length === 1;
}

/** Sends a delivery again, now: the same event with the same id, so a receiver can tell it has seen it. */
export async function replayDelivery(tx: Executor, endpointId: string, deliveryId: string, at: Date): Promise<boolean> {
  const replayed = await tx
    .update(webhookDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: at, deliveredAt: null, lastError: null })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId)))
    .returning({ id: webhookDeliveries.id });
  return replayed.length === 1;
}

/** A test event for one endpoint and its one delivery; returns the delivery's id. */
export async function insertTestEvent(
  tx: Executor,
  endpoint: { id: string; organisationId: string | null },
  payload: Record<string, unknown>,
  at: Date,
): Promise<string> {
  const [event] = await tx
    .insert(webhookEvents)
    .values({ organisationId: endpoint.organisationId, type: "webhook.test", payload, occurredAt: at })
    .returning({ id: webhookEvents.id });
  if (!event) throw new Error("webhook event insert returned nothing");
  const [delivery] = await tx
    .insert(webhookDeliveries)
    .values({ eventId: event.id, endpointId: endpoint.id, nextAttemptAt: at, createdAt: at })
    .returning({ id: webhookDeliveries.id });
  if (!delivery) throw new Error("webhook delivery insert returned nothing");
  return delivery.id;
}

/**
 * `old_secret.still_in_use` (docs/webhooks.md): a secret a newer secret of its client has already
 * succeeded, still used within the last day, whose last day is at most three calendar days away
 * (the organisation's zone, lib/data/schedule-sql.ts's daysLeft), once per secret (the dedupe key).
 * Set-based; returns how many events were recorded.
 */
export async function recordOldSecretsStillInUse(db: Executor, at: string): Promise<number> {
  const now = sql`${at}::timestamptz`;
  const [row] = await rows<{ n: number }>(
    db,
    sql`
      select count(rotor_emit_webhook(
        c.organisation_id, 'old_secret.still_in_use',
        rotor_webhook_client(c, o) || jsonb_build_object(
          'daysLeft', ${daysLeft(sql`s.expires_at`, now, sql`o.time_zone`)},
          'secret', rotor_webhook_secret(s, o.time_zone),
          'successor', rotor_webhook_secret(n.successor, o.time_zone)),
        'old_secret.still_in_use:' || s.id, ${now}))::int as n
      from client_secret s
      join oauth_client c on c.id = s.client_id
      join organisation o on o.id = c.organisation_id
      cross join lateral (
        select n as successor from client_secret n
        where n.client_id = s.client_id and n.created_at > s.created_at
          and ${secretAccepted({ createdAt: sql`n.created_at`, expiresAt: sql`n.expires_at`, revokedAt: sql`n.revoked_at` }, now)}
        order by n.created_at desc limit 1
      ) n
      where s.expires_at > ${now} and s.expires_at <= ${now} + interval '5 days'
        and ${secretAccepted({ createdAt: sql`s.created_at`, expiresAt: sql`s.expires_at`, revokedAt: sql`s.revoked_at` }, now)}
        and s.last_used_at > ${now} - interval '1 day'
        and ${daysLeft(sql`s.expires_at`, now, sql`o.time_zone`)} <= 3
        and not exists (select 1 from webhook_event w where w.dedupe_key = 'old_secret.still_in_use:' || s.id)`,
  );
  return row?.n ?? 0;
}

/** Events older than `before` whose deliveries are all finished, with their deliveries. */
export async function sweepWebhookEvents(db: Executor, before: Date, batch = 5000): Promise<number> {
  let swept = 0;
  for (;;) {
    const [row] = await rows<{ n: number }>(
      db,
      sql`
        with gone as (
          delete from webhook_event where id in (
            select ev.id from webhook_event ev
            where ev.occurred_at <= ${before.toISOString()}::timestamptz
              and not exists (select 1 from webhook_delivery d where d.event_id = ev.id and d.status = 'pending')
            limit ${batch}
          ) returning 1
        )
        select count(*)::int as n from gone`,
    );
    const n = row?.n ?? 0;
    swept += n;
    if (n < batch) return swept;
  }
}

/** For the metrics scrape and health: deliveries waiting and given up on. */
export async function readWebhookHealth(db: Executor): Promise<{ pending: number; dead: number }> {
  const [row] = await db
    .select({
      pending: sql<number>`count(*) filter (where ${webhookDeliveries.status} = 'pending')::int`,
      dead: sql<number>`count(*) filter (where ${webhookDeliveries.status} = 'dead')::int`,
    })
    .from(webhookDeliveries)
    .where(inArray(webhookDeliveries.status, ["pending", "dead"]));
  return { pending: Number(row?.pending ?? 0), dead: Number(row?.dead ?? 0) };
}
