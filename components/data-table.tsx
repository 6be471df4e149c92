import type { ReactNode } from "react";

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  /** The column that names the row, read out as its header. */
  rowHeader?: boolean;
}

/** A plain, accessible table with an empty state that says what to expect. */
export function DataTable<Row>({
  rows,
  columns,
  caption,
  empty,
  rowKey,
}: {
  rows: Row[];
  columns: Column<Row>[];
  caption: string;
  empty: ReactNode;
  rowKey: (row: Row) => string;
}) {
  if (rows.length === 0) {
    return <div className="rounded border border-dashed border-slate-400 bg-white px-4 py-6 text-center text-slate-700">{empty}</div>;
  }
  return (
    // Focusable: on a phone the table scrolls sideways, and a keyboard user reaches the hidden
    // columns with the arrow keys (axe: scrollable-region-focusable). The table inside is named.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to scroll by keyboard.
    <div tabIndex={0} className="overflow-x-auto rounded border border-slate-300 bg-white">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50">
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className="border-b border-slate-300 px-4 py-2 font-semibold">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className="border-b border-slate-200 last:border-0">
              {columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.header} scope="row" className="px-4 py-3 text-left font-semibold">
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={c.header} className="px-4 py-3">
                    {c.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
