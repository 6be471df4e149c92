import { eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { clientJwks, oauthClients } from "@/db/schema";
import { type JwksState, NEVER_FETCHED } from "@/lib/oauth/client-jwks";

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
