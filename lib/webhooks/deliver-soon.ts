import { after } from "next/server";
import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { getDb } from "@/lib/data/database";
import { env } from "@/lib/env";
import { errorSummary } from "@/lib/error-summary";
import { log } from "@/lib/log/logger";
import { drainWebhooks } from "./deliver";
import { webhookLimits } from "./policy";

/** A change's events go out within this much time after its answer; what is left waits for the scheduler. */
const SOON_BUDGET_MS = 10_000;
/**
 * An event is due from the instant the database recorded it (its clock); this server's clock may
 * be a little behind the database's, and an event judged "not yet due" here would wait for the
 * next scheduler run (an hour). Five seconds ahead covers any NTP-kept pair.
 */
const CLOCK_SKEW_MS = 5_000;

/**
 * After a change made through the portal or the management API has answered, sends the webhook
 * events it recorded (and any other delivery that is due), so a receiver hears of a rotation in
 * seconds, not at the next scheduler run (docs/webhooks.md, "Delivery"). Best effort: whatever
 * fails or is left is the scheduler's, with the same leases, so nothing is sent twice.
 */
export function deliverWebhooksSoon(): void {
  try {
    after(deliverNow);
  } catch {
    // Outside a request (a test calling an action directly): the scheduler delivers.
  }
}

async function deliverNow(): Promise<void> {
  try {
    const e = env();
    await drainWebhooks(await getDb(), loadKeyRing(e), {
      now: new Date(Date.now() + CLOCK_SKEW_MS),
      limits: webhookLimits(e),
      budgetMs: SOON_BUDGET_MS,
      concurrency: 2,
    });
  } catch (error) {
    log().error({ err: errorSummary(error) }, "webhook delivery after a change failed: the scheduler will deliver");
  }
}
