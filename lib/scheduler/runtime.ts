import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { getDb } from "@/lib/data/database";
import { devMailbox, type MailTransport, resendTransport } from "@/lib/email/transport";
import { env } from "@/lib/env";
import { webhookLimits } from "@/lib/webhooks/policy";
import type { SchedulerDeps } from "./run-scheduler";

/**
 * The e-mail transport: Resend when RESEND_API_KEY is set; otherwise the development mailbox
 * (shown in Dev Tools), except in production, where mail waits in the outbox until a key is set.
 */
export function mailTransport(): MailTransport | undefined {
  const e = env();
  if (e.RESEND_API_KEY) {
    return resendTransport({
      apiKey: e.RESEND_API_KEY,
      baseUrl: e.RESEND_BASE_URL,
      from: e.EMAIL_FROM ?? "Rotor <no-reply@rotor.example>",
    });
  }
  return e.ROTOR_ENV === "production" ? undefined : devMailbox;
}

export function usesDevMailbox(): boolean {
  return mailTransport()?.name === "dev-mailbox";
}

export async function schedulerDeps(): Promise<SchedulerDeps> {
  const e = env();
  return {
    db: await getDb(),
    keyRing: loadKeyRing(e),
    publicUrl: e.ROTOR_PUBLIC_URL,
    transport: mailTransport(),
    mail: { budgetMs: e.ROTOR_MAIL_BUDGET_SECONDS * 1000, concurrency: e.ROTOR_MAIL_CONCURRENCY },
    auditRetentionDays: e.ROTOR_AUDIT_RETENTION_DAYS,
    webhooks: { limits: webhookLimits(e) },
  };
}
