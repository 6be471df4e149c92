import { Resend } from "resend";

export interface OutgoingMessage {
  /** The outbox id: Resend's idempotency key, so a retried send never duplicates. */
  id: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
}

export type SendResult = { ok: true; providerId: string } | { ok: false; error: string };

export interface MailTransport {
  name: "resend" | "dev-mailbox";
  /** Never hangs: a provider that does not answer within `timeoutMs` is a failed send, retried later. */
  send(message: OutgoingMessage, options?: { timeoutMs?: number }): Promise<SendResult>;
}

/** A provider call's longest wait unless the caller says otherwise (the scheduler's sends). */
export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

export function resendTransport(options: { apiKey: string; baseUrl?: string; from: string }): MailTransport {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  return {
    name: "resend",
    async send(m, sendOptions) {
      try {
        const { data, error } = await resend.emails.send(
          { from: options.from, to: m.to, subject: m.subject, html: m.html, text: m.text },
          // The SDK hands the signal to fetch: a hung provider ends as an error, not a hung request.
          { idempotencyKey: `rotor-outbox-${m.id}`, signal: AbortSignal.timeout(sendOptions?.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS) },
        );
        if (error || !data) return { ok: false, error: `${error?.name ?? "error"}: ${error?.message ?? "no response"}`.slice(0, 300) };
        return { ok: true, providerId: data.id };
      } catch (error) {
        return { ok: false, error: (error instanceof Error ? error.message : String(error)).slice(0, 300) };
      }
    },
  };
}

/** Development and demo only: "sending" keeps the rendered message in the outbox, which Dev Tools shows. */
export const devMailbox: MailTransport = {
  name: "dev-mailbox",
  async send(m) {
    return { ok: true, providerId: `dev-${m.id}` };
  },
};
