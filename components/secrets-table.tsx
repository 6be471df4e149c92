import type { ReactNode } from "react";
import { type BadgeTone, StatusBadge } from "./status-badge";

export interface SecretRowView {
  id: string;
  slot: "Current secret" | "New secret";
  masked: string;
  /** The organisation's name for it, if any. */
  label?: string | null;
  created: string;
  expires: string;
  expiresIn: string;
  state: { label: string; tone: BadgeTone };
  lastUsed: string;
  actions?: ReactNode;
}

/** Seed 000's table: Current and New secret, masked, with created and expiration dates. */
export function SecretsTable({ rows, caption }: { rows: SecretRowView[]; caption: string }) {
  if (rows.length === 0) {
    return <p className="rounded border border-red-300 bg-red-50 px-4 py-3 text-red-900">This client has no live secret.</p>;
  }
  const withActions = rows.some((r) => r.actions);
  return (
    <>
      {/* Phones: one card per secret, the same facts without sideways scrolling. */}
      <ul className="space-y-3 sm:hidden" aria-label={caption}>
        {rows.map((r) => (
          <li key={r.id} className="rounded border border-slate-300 p-3">
            <p className="text-xs font-semibold uppercase tracking-wide text-slate-700">{r.slot}</p>
            <code className="font-mono text-base">{r.masked}</code>
            {r.label ? <span className="block text-sm text-slate-800">{r.label}</span> : null}
            <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="font-semibold">Created</dt>
              <dd>{r.created}</dd>
              <dt className="font-semibold">Expires</dt>
              <dd>
                {r.expires} ({r.expiresIn.toLowerCase()})
              </dd>
              <dt className="font-semibold">Status</dt>
              <dd>
                <StatusBadge tone={r.state.tone}>{r.state.label}</StatusBadge>
              </dd>
              <dt className="font-semibold">Last used</dt>
              <dd>{r.lastUsed}</dd>
            </dl>
            {r.actions ? <div className="mt-2 space-y-2">{r.actions}</div> : null}
          </li>
        ))}
      </ul>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: scrolls sideways on narrow screens, so it takes focus */}
      <div tabIndex={0} className="hidden overflow-x-auto sm:block">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr className="border-b-2 border-slate-300">
              <th scope="col" className="py-2 pr-4">
                Secret
              </th>
              <th scope="col" className="py-2 pr-4">
                Created date
              </th>
              <th scope="col" className="py-2 pr-4">
                Expiration date
              </th>
              <th scope="col" className="py-2 pr-4">
                Status
              </th>
              <th scope="col" className="py-2">
                Last used
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-b border-slate-200 align-top" data-testid="secret-row" data-secret-id={r.id}>
                <th scope="row" className="py-3 pr-4 font-normal">
                  <span className="block text-xs font-semibold uppercase tracking-wide text-slate-700">{r.slot}</span>
                  <code className="font-mono text-base" data-testid="masked-secret">
                    {r.masked}
                  </code>
                  {r.label ? (
                    <span className="block text-sm text-slate-800" data-testid="secret-label">
                      {r.label}
                    </span>
                  ) : null}
                </th>
                <td className="py-3 pr-4" data-testid="created-date">
                  {r.created}
                </td>
                <td className="py-3 pr-4">
                  <span data-testid="expiry-date">{r.expires}</span>
                  <span className="block text-xs text-slate-700">{r.expiresIn}</span>
                </td>
                <td className="py-3 pr-4">
                  <StatusBadge tone={r.state.tone}>{r.state.label}</StatusBadge>
                </td>
                <td className="py-3 pr-4">{r.lastUsed}</td>
                {withActions ? (
                  <td className="py-3">
                    <div className="flex flex-wrap items-start gap-2">{r.actions}</div>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
