/**
 * The one way a backlog is worked through (the e-mail outbox, lib/email/outbox.ts; webhook
 * deliveries, lib/webhooks/deliver.ts): `concurrency` senders, each claiming a small batch with a
 * lease (FOR UPDATE SKIP LOCKED in the claim, so no two senders, here or in a concurrent run,
 * hold the same item) and delivering it, until a claim comes back empty or `budgetMs` has passed.
 * A sender stops claiming once the budget is spent; what it holds it still delivers.
 */
export interface DrainLoop<T> {
  /** Claims the next batch with a lease; empty when nothing is due. */
  claim: () => Promise<T[]>;
  deliver: (item: T) => Promise<void>;
  budgetMs: number;
  concurrency: number;
  /** Time spent so far, in ms (the scheduler counts from the start of its run). */
  elapsedMs: () => number;
}

export async function drainConcurrently<T>(loop: DrainLoop<T>): Promise<void> {
  let empty = false;
  const sender = async () => {
    while (!empty && loop.elapsedMs() < loop.budgetMs) {
      const claimed = await loop.claim();
      // Nothing left to claim: what other senders hold is theirs to finish.
      if (claimed.length === 0) {
        empty = true;
        return;
      }
      for (const item of claimed) await loop.deliver(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, loop.concurrency) }, sender));
}
