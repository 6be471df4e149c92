import { metricsRoute } from "@/lib/metrics/runtime";

/**
 * GET /metrics on the Next mount (plain `next start`, serverless): the same endpoint the self-hosted
 * server serves from scripts/server.ts, counting into the process's one registry
 * (docs/observability.md).
 */
export const dynamic = "force-dynamic";

export const GET = metricsRoute;
export const HEAD = metricsRoute;
export const POST = metricsRoute;
