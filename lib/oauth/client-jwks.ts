/*
 * A client's JWKS URL (docs/domain.md, "Keys at a JWKS URL"): instead of pasting keys into the
 * portal, a client publishes them, and rotates by publishing the next one. Rotor keeps what it last
 * fetched, for as long as the publisher's caching headers say within fixed bounds, fetches again
 * when an assertion names a kid it has not seen (at most once a minute), and, when fetching fails,
 * keeps using the last good keys for a day before it gives up on them. Pure rules; the fetch is
 * lib/http/outbound.ts and the state is kept by lib/data/client-jwks.ts.
 */

/** Never trusted for less (a publisher saying no-cache would have us fetch on every request)... */
export const JWKS_MIN_CACHE_SECONDS = 300;
/** ...nor for more (a removed key stops working within a day). */
export const JWKS_MAX_CACHE_SECONDS = 86_400;
/** When the publisher sends no caching headers. */
export const JWKS_DEFAULT_CACHE_SECONDS = 3_600;
/** An unknown kid makes Rotor fetch again at most this often per client, so it cannot be made to hammer the publisher. */
export const JWKS_REFETCH_INTERVAL_SECONDS = 60;
/** After the keys went stale and fetching keeps failing, they are still used this long. */
export const JWKS_STALE_GRACE_SECONDS = 86_400;
/** The SPOC is told once fetching has failed for this long. */
export const JWKS_FAILING_NOTICE_SECONDS = 6 * 3_600;

const S = 1000;

/** How long an answer may be used, from its Cache-Control max-age or Expires, within the bounds above. */
export function cacheSeconds(headers: Record<string, string | undefined>, now: Date): number {
  const clamp = (s: number) => Math.min(JWKS_MAX_CACHE_SECONDS, Math.max(JWKS_MIN_CACHE_SECONDS, Math.floor(s)));
  const cacheControl = (headers["cache-control"] ?? "").toLowerCase();
  if (/(^|,)\s*(no-store|no-cache)\s*(,|$)/.test(cacheControl)) return JWKS_MIN_CACHE_SECONDS;
  const maxAge = /(^|,)\s*max-age\s*=\s*"?(\d+)"?\s*(,|$)/.exec(cacheControl);
  if (maxAge) return clamp(Number(maxAge[2]));
  const expires = headers.expires ? Date.parse(headers.expires) : Number.NaN;
  if (!Number.isNaN(expires)) return clamp((expires - now.getTime()) / S);
  return JWKS_DEFAULT_CACHE_SECONDS;
}

export interface JwksState {
  /** The keys of the last good fetch (public JWKs), empty before one. */
  keys: Record<string, unknown>[];
  fetchedAt: Date | null;
  freshUntil: Date | null;
  lastAttemptAt: Date | null;
  /** Why the last attempt failed; null when it worked. */
  lastError: string | null;
  /** Since when every attempt has failed; null while the last one worked. */
  failingSince: Date | null;
}

export const NEVER_FETCHED: JwksState = {
  keys: [],
  fetchedAt: null,
  freshUntil: null,
  lastAttemptAt: null,
  lastError: null,
  failingSince: null,
};

/** The keys an assertion may be verified with now: fresh ones, or stale ones within the grace period. */
export function usableKeys(state: JwksState, now: Date): Record<string, unknown>[] {
  if (state.freshUntil === null) return [];
  return now.getTime() < state.freshUntil.getTime() + JWKS_STALE_GRACE_SECONDS * S ? state.keys : [];
}

/**
 * Whether to fetch before verifying: when nothing usable is fresh, or when the assertion names a
 * kid the keys lack; either way not again within the refetch interval of the last attempt.
 */
export function shouldFetch(
  state: JwksState,
  now: Date,
  wantedKid: string | undefined,
  intervalSeconds: number = JWKS_REFETCH_INTERVAL_SECONDS,
): boolean {
  const recentlyTried = state.lastAttemptAt !== null && now.getTime() - state.lastAttemptAt.getTime() < intervalSeconds * S;
  if (recentlyTried) return false;
  if (state.freshUntil === null || now.getTime() >= state.freshUntil.getTime()) return true;
  return wantedKid !== undefined && !state.keys.some((k) => k.kid === wantedKid);
}

/** The state after a good fetch. */
export function fetched(keys: Record<string, unknown>[], headers: Record<string, string | undefined>, now: Date): JwksState {
  return {
    keys,
    fetchedAt: now,
    freshUntil: new Date(now.getTime() + cacheSeconds(headers, now) * S),
    lastAttemptAt: now,
    lastError: null,
    failingSince: null,
  };
}

/** The state after a failed fetch: the last good keys stay (usableKeys bounds them). */
export function failed(state: JwksState, reason: string, now: Date): JwksState {
  return { ...state, lastAttemptAt: now, lastError: reason, failingSince: state.failingSince ?? now };
}

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];
export const MAX_JWKS_KEYS = 10;

/**
 * The signing keys of a published JWK Set (RFC 7517 5), or why the set cannot be used. A set that
 * holds private key material is refused whole: its publisher has leaked it. Keys marked for
 * encryption are left out (RFC 7517 4.2); each remaining key still has to pass the registered
 * keys' policy (lib/crypto/public-key.ts) before it is used.
 */
export function readJwks(body: string): { keys: Record<string, unknown>[] } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { error: "The answer is not JSON." };
  }
  if (typeof parsed !== "object" || parsed === null || !Array.isArray((parsed as { keys?: unknown }).keys)) {
    return { error: 'The answer is not a JWK Set: it needs a "keys" array.' };
  }
  const all = (parsed as { keys: unknown[] }).keys;
  if (all.some((k) => typeof k !== "object" || k === null || Array.isArray(k)))
    return { error: "Every entry of keys must be a JWK object." };
  const keys = all as Record<string, unknown>[];
  if (keys.some((k) => PRIVATE_MEMBERS.some((m) => m in k))) {
    return { error: "The set contains private key material. Publish public keys only, and replace the keys that were exposed." };
  }
  const signing = keys.filter((k) => k.use === undefined || k.use === "sig");
  if (signing.length === 0) return { error: "The set has no signing key." };
  if (signing.length > MAX_JWKS_KEYS) return { error: `The set has ${signing.length} signing keys; at most ${MAX_JWKS_KEYS} are read.` };
  return { keys: signing };
}
