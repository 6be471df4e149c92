import { getDb } from "@/lib/data/database";
import { env } from "@/lib/env";
import type { FetchHandler } from "@/lib/oauth/machine";
import { createMetricsEndpoint } from "./endpoint";
import { readDeliveryGauges } from "./read-gauges";

/** GET /metrics as both mounts serve it: the configured token, the outbox read from the shared database. */
export const metricsRoute: FetchHandler = createMetricsEndpoint({
  token: () => env().ROTOR_METRICS_TOKEN,
  readOutbox: async () => readDeliveryGauges(await getDb(), new Date()),
});
