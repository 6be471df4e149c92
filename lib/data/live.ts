import { type AnyColumn, type SQL, sql } from "drizzle-orm";

/**
 * The liveness rules of lib/rotation/secret-state.ts as SQL, for every query that needs them (the
 * token endpoint's look-ups, the scheduler's set-based statements). Each fragment is proved equal
 * to its TypeScript rule, boundaries included, by lib/data/live.integration.test.ts on generated
 * rows; nowhere else does a query spell a liveness rule out.
 *
 * Columns are given as SQL so the fragments work on a table, an alias or a CTE's columns; `at` is
 * the instant as an ISO string (postgres.js, as drizzle sets it up, takes no Date parameters).
 */

type Ref = AnyColumn | SQL;

export interface LifetimeColumns {
  createdAt: Ref;
  expiresAt: Ref;
  revokedAt: Ref;
}

const at = (instant: string | SQL) => (typeof instant === "string" ? sql`${instant}::timestamptz` : instant);

/** Accepted at `instant` (isLive): created by then, not yet expired, not yet revoked. */
export function secretAccepted(c: LifetimeColumns, instant: string | SQL): SQL {
  return sql`(${c.createdAt} <= ${at(instant)} and ${c.expiresAt} > ${at(instant)} and (${c.revokedAt} is null or ${c.revokedAt} > ${at(instant)}))`;
}

/** Holds one of the client's two places at `instant` (holdsAPlace): neither revoked nor expired, whenever created. */
export function holdsAPlace(c: Omit<LifetimeColumns, "createdAt">, instant: string | SQL): SQL {
  return sql`((${c.expiresAt} is null or ${c.expiresAt} > ${at(instant)}) and (${c.revokedAt} is null or ${c.revokedAt} > ${at(instant)}))`;
}

/** A public key is accepted at `instant` (isKeyLive): not revoked, and not expired where it has an expiry. */
export function keyAccepted(c: Omit<LifetimeColumns, "createdAt">, instant: string | SQL): SQL {
  return holdsAPlace(c, instant);
}
