/**
 * `npm run cron`: one scheduler run, the same code the cron route runs, for self-hosted
 * deployments (call it from cron or a systemd timer, hourly). The run logs its summary as one JSON
 * line (docs/observability.md); a failure also sets the exit code.
 */
import { getDatabaseHandle } from "@/lib/data/database";
import { operatorMessage } from "@/lib/error-summary";
import { log } from "@/lib/log/logger";
import { runScheduler } from "@/lib/scheduler/run-scheduler";
import { schedulerDeps } from "@/lib/scheduler/runtime";

try {
  await runScheduler(await schedulerDeps(), new Date());
} catch (error) {
  log().fatal({ reason: operatorMessage(error) }, "cron: the scheduler run failed");
  process.exitCode = 1;
} finally {
  await (await getDatabaseHandle()).close();
}
