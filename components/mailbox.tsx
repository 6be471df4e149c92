import { StatusBadge } from "./status-badge";

export interface MailView {
  id: string;
  subject: string;
  to: string;
  when: string;
  status: "pending" | "sent" | "dead";
  text: string;
  html: string;
  /** A credential-bearing message (a sign-in link) whose body was erased once delivered. */
  erased?: boolean;
}

const TONE = { sent: "good", pending: "warn", dead: "bad" } as const;

/** The development mailbox: every message the scheduler sent, readable in place. */
export function Mailbox({ messages }: { messages: MailView[] }) {
  if (messages.length === 0) return <p className="text-slate-700">No e-mail yet. Reminders appear here as they fall due.</p>;
  return (
    <ul className="space-y-2" aria-label="Development mailbox">
      {messages.map((m) => (
        <li key={m.id} className="rounded border border-slate-300" data-testid="mail">
          <details>
            <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2">
              <span className="font-semibold">{m.subject}</span>
              <StatusBadge tone={TONE[m.status]}>{m.status}</StatusBadge>
              <span className="text-sm text-slate-700">
                {m.when} · to {m.to}
              </span>
            </summary>
            {m.erased ? (
              <p className="border-t border-slate-200 p-3 text-sm text-slate-700" data-testid="mail-erased">
                The link in this message was erased from Rotor once it was delivered: only its recipient has it.
              </p>
            ) : (
              <div className="space-y-2 border-t border-slate-200 p-3">
                <iframe
                  title={`E-mail: ${m.subject}`}
                  sandbox=""
                  srcDoc={m.html}
                  className="h-96 w-full rounded border border-slate-200 bg-white"
                />
                <details>
                  <summary className="cursor-pointer text-sm text-brand-700">Plain-text version</summary>
                  <pre className="whitespace-pre-wrap text-xs" data-testid="mail-text">
                    {m.text}
                  </pre>
                </details>
              </div>
            )}
          </details>
        </li>
      ))}
    </ul>
  );
}
