import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { getDatabaseHandle } from "@/lib/data/database";
import { env } from "@/lib/env";
import { errorSummary, operatorMessage } from "@/lib/error-summary";
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
    try {
      const summary = await runScheduler(await schedulerDeps(), new Date());
      const sent = summary.email?.sent ?? 0;
      if (summary.autoIssued || summary.reminders.secrets || summary.reminders.keys || sent) {
        console.info(
          `scheduler: ${summary.autoIssued} issued, ${summary.reminders.secrets + summary.reminders.keys} reminders, ${sent} e-mails`,
        );
      }
    } catch (error) {
      console.error(`scheduler run failed: ${errorSummary(error)}`);
    }
  };
  setTimeout(tick, 3_000).unref();
  holder[timerKey] = setInterval(tick, 10 * 60_000);
  holder[timerKey].unref();
}
