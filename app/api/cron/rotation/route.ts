import { env } from "@/lib/env";
import { logLine } from "@/lib/log/logger";
import { createCronEndpoint } from "@/lib/scheduler/cron-endpoint";
import { runScheduler } from "@/lib/scheduler/run-scheduler";
import { schedulerDeps } from "@/lib/scheduler/runtime";

export const dynamic = "force-dynamic";
export const maxDuration = 300;

const endpoint = createCronEndpoint({ secret: () => env().CRON_SECRET, deps: schedulerDeps, run: runScheduler, log: logLine("error") });
export const GET = endpoint;
export const POST = endpoint;
