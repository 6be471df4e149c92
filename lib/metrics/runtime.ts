import { getDb } from "@/lib/data/database";
import { readOutboxHealth } from "@/lib/data/outbox";
import { env } from "@/lib/env";
import type { FetchHandler } from "@/lib/oauth/machine";
import { createMetricsEndpoint } from "./endpoint";

/** GET /metrics as both mounts serve it: the configured token, the outbox read from the shared database. */
export const metricsRoute: FetchHandler = createMetricsEndpoint({
  token: () => env().ROTOR_METRICS_TOKEN,
  readOutbox: async () => readOutboxHealth(await getDb(), new Date()),
});
