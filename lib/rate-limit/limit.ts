import { createHash } from "node:crypto";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { DatabaseHandle } from "@/db/client";
import { RATE_LIMIT_TABLE, rateLimitStoreClient } from "@/lib/data/rate-limit-store";
import type { LimitSpec } from "./spec";

export type LimitStore = { kind: "memory" } | { kind: "postgres"; handle: DatabaseHandle };

/**
 * One rate limit over one kind of key ("at most N in S seconds", then blocked for S seconds), kept
 * by rate-limiter-flexible in process memory or in Postgres for every instance at once. Keys go to
 * the database as digests, so no e-mail address or client address is written down in clear.
 */
export class Limit {
  private readonly limiters: (RateLimiterMemory | RateLimiterPostgres)[];
  /** Keys written down in the database are digests; in this process's memory they need not be. */
  private readonly keyOf: (key: string) => string;

  constructor(
    readonly name: string,
    readonly specs: readonly LimitSpec[],
    store: LimitStore,
  ) {
    this.keyOf = store.kind === "memory" ? (key) => key : Limit.digest;
    this.limiters = specs.map((spec, i) => {
      const options = { keyPrefix: `${name}:${i}`, points: spec.points, duration: spec.seconds, blockDuration: spec.seconds };
      if (store.kind === "memory") return new RateLimiterMemory(options);
      return new RateLimiterPostgres({
        ...options,
        storeClient: rateLimitStoreClient(store.handle),
        storeType: "pool",
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        clearExpiredByTimeout: true,
        // Once a key has used its allowance, this instance answers it from memory until the window
        // ends: a flood costs no store round trip per request.
        inMemoryBlockOnConsumed: spec.points,
        inMemoryBlockDuration: spec.seconds,
      } as ConstructorParameters<typeof RateLimiterPostgres>[0]);
    });
  }

  private static digest(key: string): string {
    return createHash("sha256").update(key).digest("base64url");
  }

  /**
   * How long until `key` may act again (0: now): once it has used its whole allowance (N of "N in
   * S seconds"), until the window ends. Counts nothing, and never costs a store round trip.
   */
  async retryAfterMs(key: string): Promise<number> {
    const rlKey = this.keyOf(key);
    let wait = 0;
    for (const [i, limiter] of this.limiters.entries()) {
      if (limiter instanceof RateLimiterMemory) {
        const res = await limiter.get(rlKey);
        if (res && res.consumedPoints >= this.specs[i]!.points) wait = Math.max(wait, res.msBeforeNext);
      } else {
        // The in-memory block rate-limiter-flexible keeps beside a store (inMemoryBlockOnConsumed).
        const blocked = (limiter as unknown as { getInMemoryBlockMsBeforeExpire(k: string): number }).getInMemoryBlockMsBeforeExpire(
          limiter.getKey(rlKey),
        );
        wait = Math.max(wait, blocked);
      }
    }
    return wait;
  }

  /**
   * Takes one of `key`'s places at once, in every window (an atomic increment in memory), so
   * concurrent attempts are counted before any of them does its work: the wait if that was one too
   * many (0: go ahead). Given back with giveBack when the attempt should not count.
   */
  async take(key: string): Promise<number> {
    return this.hit(key);
  }

  async giveBack(key: string): Promise<void> {
    const rlKey = this.keyOf(key);
    for (const limiter of this.limiters) await limiter.reward(rlKey, 1);
  }

  /**
   * Counts one against `key`, window by window from the first, and stops at the first window that
   * refuses it: how long until it may act again (0: fine). An attempt the short window refuses
   * does not use up the long one, so with "1/60,5/3600" a flood of simultaneous requests lets
   * exactly one through; counting every attempt in every window let the long window's places go to
   * requests the short one refused, and then none got through.
   */
  async hit(key: string): Promise<number> {
    const rlKey = this.keyOf(key);
    for (const limiter of this.limiters) {
      try {
        await limiter.consume(rlKey);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        return error.msBeforeNext > 0 ? error.msBeforeNext : 1_000;
      }
    }
    return 0;
  }
}

/** A limit, or nothing when the deployment turned it off. */
export function limitOrNone(name: string, specs: LimitSpec[] | null, store: LimitStore): Limit | null {
  return specs ? new Limit(name, specs, store) : null;
}

export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
