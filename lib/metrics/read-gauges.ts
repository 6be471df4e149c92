import type { Executor } from "@/db/client";
import { readOutboxHealth } from "@/lib/data/outbox";
import { readWebhookHealth } from "@/lib/data/webhooks";
import type { OutboxGauges } from "./metrics";

/** What /metrics reads from the database at scrape time: the e-mail outbox and the webhook deliveries. */
export async function readDeliveryGauges(db: Executor, now: Date): Promise<OutboxGauges> {
  return { ...(await readOutboxHealth(db, now)), webhooks: await readWebhookHealth(db) };
}
