import { DataTable } from "./data-table";

/** One audit event as the table shows it: every field already in words. */
export interface AuditRow {
  id: string;
  when: string;
  /** ISO 8601, for the <time> element. */
  whenIso: string;
  actor: string;
  source: string;
  what: string;
  target: string;
  changes: { field: string; before: string; after: string }[];
  clientAddress: string;
  /** Shown in the operator's view, across organisations. */
  organisation?: string;
}

/** The audit log's table: who, what in plain words, on what, what changed, from where. */
export function AuditTable({
  rows,
  caption,
  empty,
  showOrganisation = false,
}: {
  rows: AuditRow[];
  caption: string;
  empty: React.ReactNode;
  showOrganisation?: boolean;
}) {
  return (
    <DataTable
      caption={caption}
      empty={empty}
      rows={rows}
      rowKey={(r) => r.id}
      columns={[
        {
          header: "When",
          rowHeader: true,
          cell: (r) => (
            // The event's id, so a reader (or a test) can match a row with the API's and the export's.
            <time dateTime={r.whenIso} data-event-id={r.id}>
              {r.when}
            </time>
          ),
        },
        ...(showOrganisation ? [{ header: "Organisation", cell: (r: AuditRow) => r.organisation ?? "Platform" }] : []),
        { header: "Actor", cell: (r) => <span className="block min-w-40 break-words">{r.actor}</span> },
        { header: "Source", cell: (r) => r.source },
        { header: "Action", cell: (r) => r.what },
        { header: "Target", cell: (r) => <span className="block min-w-40 break-words">{r.target}</span> },
        {
          header: "Before and after",
          cell: (r) =>
            r.changes.length === 0 ? (
              "—"
            ) : (
              <dl className="space-y-1">
                {r.changes.map((c) => (
                  <div key={c.field}>
                    <dt className="font-semibold">{c.field}</dt>
                    <dd className="min-w-40 break-words">
                      {c.before} → {c.after}
                    </dd>
                  </div>
                ))}
              </dl>
            ),
        },
        { header: "Client address", cell: (r) => r.clientAddress },
      ]}
    />
  );
}
