import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { getDatabaseHandle } from "@/lib/data/database";
import { env } from "@/lib/env";
import { errorSummary, operatorMessage } from "@/lib/error-summary";
import { log } from "@/lib/log/logger";
import { runScheduler } from "@/lib/scheduler/run-scheduler";
import { schedulerDeps } from "@/lib/scheduler/runtime";

/**
 * Server start-up: validate the environment, load the encryption key ring and open the database,
 * or stop with a message that says what is wrong (a bad setting, another process holding the
 * embedded folder). Whatever a request would need and could find broken is checked here, so a bad
 * deployment never starts instead of answering requests with an empty 500.
 */
export async function startOrExit(options: { scheduler: boolean } = { scheduler: true }): Promise<void> {
  try {
    loadKeyRing(env());
    await getDatabaseHandle();
  } catch (error) {
    // Plain text on stderr, not a log line: the settings that would configure logging may be what
    // is wrong, and the operator reads this message to fix them.
    console.error(`\n${operatorMessage(error)}\n`);
    process.exit(1);
  }
  // Started from inside Next's module graph (instrumentation), where e-mail rendering gets one React.
  if (options.scheduler && env().embedded) startEmbeddedScheduler();
}

const timerKey = Symbol.for("rotor.scheduler.timer");

/**
 * The embedded demo has no cron: the scheduler runs in-process shortly after start and every ten
 * minutes, so reminders appear in the development mailbox without any set-up.
 */
function startEmbeddedScheduler(): void {
  const holder = globalThis as { [timerKey]?: NodeJS.Timeout };
  if (holder[timerKey]) return;
  const tick = async () => {
    let deps: Awaited<ReturnType<typeof schedulerDeps>>;
    try {
      deps = await schedulerDeps();
    } catch (error) {
      log().error({ err: errorSummary(error) }, "scheduler: could not prepare a run");
      return;
    }
    // runScheduler logs and counts each run, failed ones included (docs/observability.md).
    await runScheduler(deps, new Date()).catch(() => {});
  };
  setTimeout(tick, 3_000).unref();
  holder[timerKey] = setInterval(tick, 10 * 60_000);
  holder[timerKey].unref();
}
