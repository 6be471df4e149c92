/**
 * `npm run cron`: one scheduler run, the same code the cron route runs, for self-hosted
 * deployments (call it from cron or a systemd timer, hourly). Prints the JSON summary.
 */
import { getDatabaseHandle } from "@/lib/data/database";
import { operatorMessage } from "@/lib/error-summary";
import { runScheduler } from "@/lib/scheduler/run-scheduler";
import { schedulerDeps } from "@/lib/scheduler/runtime";

try {
  const summary = await runScheduler(await schedulerDeps(), new Date());
  console.info(JSON.stringify(summary, null, 2));
} catch (error) {
  console.error(operatorMessage(error));
  process.exitCode = 1;
} finally {
  await (await getDatabaseHandle()).close();
}
