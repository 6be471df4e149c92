import type { DatabaseHandle } from "@/db/client";

/** The table rate-limiter-flexible's Postgres store uses (db/schema.ts rateLimits, created by a migration). */
export const RATE_LIMIT_TABLE = "rate_limit";

/**
 * rate-limiter-flexible's Postgres store speaks to a `pg`-style client (`query({ text, values })`
 * answering `{ rows, rowCount }`); this hands it the process's own connection (postgres.js or
 * PGlite) in that shape, so the limits share the database and its pool, not a second driver.
 */
export function rateLimitStoreClient(handle: DatabaseHandle) {
  return {
    query: (q: { text: string; values?: unknown[] }) => handle.rawQuery(q.text, q.values ?? []),
  };
}
