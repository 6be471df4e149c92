import { eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { clientJwks, oauthClients, organisations } from "@/db/schema";
import { type JwksState, NEVER_FETCHED } from "@/lib/oauth/client-jwks";
import { rows } from "./sql-rows";

/** What Rotor holds of a client's published keys (lib/oauth/client-jwks.ts); a row of another URL counts as nothing. */
export async function readJwksState(db: Executor, clientUuid: string, uri: string): Promise<JwksState> {
  const [row] = await db.select().from(clientJwks).where(eq(clientJwks.clientId, clientUuid)).limit(1);
  if (!row || row.uri !== uri) return NEVER_FETCHED;
  return {
    keys: row.keys,
    fetchedAt: row.fetchedAt,
    freshUntil: row.freshUntil,
    lastAttemptAt: row.lastAttemptAt,
    lastError: row.lastError,
    failingSince: row.failingSince,
  };
}

/** Kept for every instance; a good fetch also clears the failure notice, so a later failure is told again. */
export async function writeJwksState(db: Executor, clientUuid: string, uri: string, state: JwksState): Promise<void> {
  const values = { clientId: clientUuid, uri, ...state, ...(state.failingSince === null ? { failureNoticeAt: null } : {}) };
  await db.insert(clientJwks).values(values).onConflictDoUpdate({ target: clientJwks.clientId, set: values });
}

/** Sets or clears a client's JWKS URL; what was fetched from the old one goes with it. */
export async function setClientJwksUri(tx: Executor, clientUuid: string, uri: string | null): Promise<void> {
  await tx.update(oauthClients).set({ jwksUri: uri }).where(eq(oauthClients.id, clientUuid));
  await tx.delete(clientJwks).where(eq(clientJwks.clientId, clientUuid));
}

export interface JwksStatusDto {
  keys: Record<string, unknown>[];
  fetchedAt: Date | null;
  lastAttemptAt: Date | null;
  lastError: string | null;
  failingSince: Date | null;
}

/** The API tab's view of each client's JWKS URL, by client row id. */
export async function listJwksStatus(db: Executor, clientUuids: string[]): Promise<Map<string, JwksStatusDto & { uri: string }>> {
  if (clientUuids.length === 0) return new Map();
  const rows = await db.select().from(clientJwks).where(inArray(clientJwks.clientId, clientUuids));
  return new Map(rows.map((r) => [r.clientId, r]));
}

export interface JwksFailureNotice {
  organisationId: string;
  organisationName: string;
  slug: string;
  locale: string;
  timeZone: string;
  clientName: string;
  clientId: string;
  uri: string;
  lastError: string | null;
  failingSince: Date;
}

/**
 * The clients whose JWKS URL has failed every fetch since `failingSince <= before` and whose people
 * have not been told yet; each is marked told in the same statement, and rows another run holds are
 * skipped, so concurrent runs tell each failure once.
 */
export async function claimJwksFailureNotices(tx: Executor, before: Date, now: Date): Promise<JwksFailureNotice[]> {
  const found = await rows<{
    organisation_id: string;
    organisation_name: string;
    slug: string;
    locale: string;
    time_zone: string;
    client_name: string;
    client_id: string;
    uri: string;
    last_error: string | null;
    failing_since: string;
  }>(
    tx,
    sql`
    with due as (
      select j.client_id from ${clientJwks} j
      join ${oauthClients} c on c.id = j.client_id and c.jwks_uri = j.uri and c.disabled_at is null
      where j.failing_since <= ${before.toISOString()}::timestamptz and j.failure_notice_at is null
      for update of j skip locked
    ), told as (
      update ${clientJwks} j set failure_notice_at = ${now.toISOString()}::timestamptz
      from due where j.client_id = due.client_id
      returning j.client_id, j.uri, j.last_error, j.failing_since
    )
    select o.id as organisation_id, o.name as organisation_name, o.slug, o.locale, o.time_zone,
           c.name as client_name, c.client_id, told.uri, told.last_error, told.failing_since
    from told join ${oauthClients} c on c.id = told.client_id join ${organisations} o on o.id = c.organisation_id
  `,
  );
  return found.map((r) => ({
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    slug: r.slug,
    locale: r.locale,
    timeZone: r.time_zone,
    clientName: r.client_name,
    clientId: r.client_id,
    uri: r.uri,
    lastError: r.last_error,
    failingSince: new Date(r.failing_since),
  }));
}
