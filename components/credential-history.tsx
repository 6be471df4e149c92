import { DataTable } from "./data-table";

export interface EndedCredentialView {
  id: string;
  what: string;
  label: string | null;
  ended: string;
  how: string;
}

/**
 * Secrets and keys that no longer work, with when, how, by whom and why: so "which secret was
 * that?" has an answer after it is gone. Collapsed, because it is looked up, not read daily.
 */
export function CredentialHistory({ rows, clientName }: { rows: EndedCredentialView[]; clientName: string }) {
  return (
    <details className="rounded border border-slate-300 p-3">
      <summary className="cursor-pointer font-semibold">History: revoked and expired ({rows.length})</summary>
      <div className="mt-3">
        <DataTable
          caption={`Revoked and expired credentials of ${clientName}`}
          empty="Nothing has been revoked or has expired yet."
          rows={rows}
          rowKey={(r) => r.id}
          columns={[
            {
              header: "Credential",
              rowHeader: true,
              cell: (r) => (
                <>
                  <code className="break-all font-mono text-xs">{r.what}</code>
                  {r.label ? <span className="block text-sm">{r.label}</span> : null}
                </>
              ),
            },
            { header: "Ended", cell: (r) => r.ended },
            { header: "How", cell: (r) => r.how },
          ]}
        />
      </div>
    </details>
  );
}
