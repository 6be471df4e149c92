import type { Command } from "commander";
import { z } from "zod";
import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { env } from "@/lib/env";
import { runScheduler } from "@/lib/scheduler/run-scheduler";
import { mailTransport } from "@/lib/scheduler/runtime";
import { webhookLimits } from "@/lib/webhooks/policy";
import { action, database, emit, parse } from "./shared";

const instant = z.iso.datetime({ offset: true, error: "Give an ISO 8601 instant, e.g. 2026-11-21T09:00:00Z." });

/** `rotor cron run`: one scheduler run, the same the cron route does. */
export function cronCommands(program: Command): void {
  program
    .command("cron")
    .description("the scheduler")
    .command("run")
    .description("one scheduler run: the same run the cron route does")
    .option("--now <instant>", "run as if at this ISO 8601 instant (for tests and catch-up)")
    .action(
      action(async (opts: { now?: string }, cmd: Command) => {
        const now = opts.now ? new Date(parse(instant, opts.now, { "": "--now" })) : new Date();
        const e = env();
        const summary = await runScheduler(
          {
            db: await database(),
            keyRing: loadKeyRing(e),
            publicUrl: e.ROTOR_PUBLIC_URL,
            transport: mailTransport(),
            auditRetentionDays: e.ROTOR_AUDIT_RETENTION_DAYS,
            webhooks: { limits: webhookLimits(e) },
          },
          now,
        );
        emit(cmd, summary, [
          `Scheduler run at ${summary.at}: ${summary.autoIssued} secrets issued, ${summary.expired.secrets + summary.expired.keys} expiries recorded, ${summary.reminders.secrets + summary.reminders.keys} reminders enqueued, ${summary.email?.sent ?? 0} e-mails sent, ${summary.webhooks.delivery?.sent ?? 0} webhooks delivered (${summary.durationMs} ms).`,
        ]);
      }),
    );
}
