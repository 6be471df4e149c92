import type { AuditEventView } from "./audit-event-view";

/**
 * The audit log's export (docs/domain.md, "The audit log"): CSV by RFC 4180 (a header row, CRLF,
 * fields quoted where they hold a comma, quote or line break, quotes doubled) and JSON Lines (one
 * event per line). A CSV cell starting with =, +, - or @ gets a leading apostrophe, so a
 * spreadsheet shows it as text rather than running it as a formula (OWASP, CSV injection).
 */
export const AUDIT_CSV_COLUMNS = [
  "id",
  "occurredAt",
  "organisation",
  "actorType",
  "actor",
  "source",
  "action",
  "description",
  "targetType",
  "targetId",
  "target",
  "changes",
  "clientAddress",
] as const;

export function csvCell(value: string): string {
  const neutral = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}

const csvLine = (cells: string[]) => `${cells.map(csvCell).join(",")}\r\n`;

export const auditCsvHeader = () => csvLine([...AUDIT_CSV_COLUMNS]);

export function auditCsvRow(event: AuditEventView): string {
  return csvLine([
    event.id,
    event.occurredAt,
    event.organisation?.slug ?? "",
    event.actor.type,
    event.actor.label,
    event.source,
    event.action,
    event.description,
    event.target?.type ?? "",
    event.target?.id ?? "",
    event.target?.name ?? "",
    event.changes.length > 0 ? JSON.stringify(event.changes) : "",
    event.clientAddress ?? "",
  ]);
}

export const auditJsonLine = (event: AuditEventView) => `${JSON.stringify(event)}\n`;
