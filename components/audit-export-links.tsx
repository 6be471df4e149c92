/**
 * The audit log's exports (docs/domain.md, "The audit log"): plain links carrying the page's
 * filters, so a download holds exactly the filtered set, every page of it.
 */
export function AuditExportLinks({ hrefOf }: { hrefOf: (format: "csv" | "jsonl") => string }) {
  return (
    <p className="flex flex-wrap gap-3 text-sm">
      <a href={hrefOf("csv")} className="font-semibold text-brand-700 underline" download>
        Export as CSV
      </a>
      <a href={hrefOf("jsonl")} className="font-semibold text-brand-700 underline" download>
        Export as JSON Lines
      </a>
    </p>
  );
}
