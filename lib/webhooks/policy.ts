import type { Env } from "@/lib/env";
import { DEFAULT_OUTBOUND_LIMITS, type OutboundLimits } from "@/lib/http/outbound";

/**
 * When an endpoint that keeps failing is turned off (docs/webhooks.md, "When an endpoint keeps
 * failing"): after FAILURES_BEFORE_DISABLE failed attempts in a row that span at least
 * FAILING_FOR_MS. Both, so neither a burst of failures (a receiver restarting while a backlog is
 * sent) nor one slow retry turns it off: with the outbox's backoff one event alone reaches ten
 * attempts about 27 hours after its first, before it is given up on (twelve).
 */
export const FAILURES_BEFORE_DISABLE = 10;
export const FAILING_FOR_MS = 24 * 3_600_000;

export function shouldDisable(streak: { consecutiveFailures: number; failingSince: Date }, now: Date): boolean {
  return streak.consecutiveFailures >= FAILURES_BEFORE_DISABLE && now.getTime() - streak.failingSince.getTime() >= FAILING_FOR_MS;
}

/** How long a rotated-out signing secret keeps signing unless the person chooses otherwise. */
export const DEFAULT_SECRET_OVERLAP_HOURS = 24;
/** The longest overlap a person may choose: a week covers any receiver's deploy. */
export const MAX_SECRET_OVERLAP_HOURS = 7 * 24;

/**
 * Outbound limits for deliveries: in production https to public addresses only (checked after DNS
 * resolution, lib/http/outbound.ts); a receiver gets 10 seconds, and 4 KiB of its answer is kept.
 */
export function webhookLimits(e: Pick<Env, "ROTOR_ENV">): OutboundLimits {
  const production = e.ROTOR_ENV === "production";
  return {
    ...DEFAULT_OUTBOUND_LIMITS,
    timeoutMs: 10_000,
    maxBytes: 4 * 1024,
    maxRedirects: 0,
    allowPrivateAddresses: !production,
    allowHttp: !production,
  };
}
