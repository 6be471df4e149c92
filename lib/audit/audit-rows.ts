import { formatDateTime } from "@/lib/format";
import { type AuditEventView, SOURCE_LABELS } from "./audit-event-view";

const display = (value: unknown) =>
  value === null || value === undefined ? "none" : typeof value === "string" ? value : JSON.stringify(value);

/** Audit events as the portal's table shows them (components/audit-table.tsx): every field in words. */
export function auditRowsOf(events: AuditEventView[], locale: string, timeZone: string) {
  return events.map((e) => ({
    id: e.id,
    when: formatDateTime(new Date(e.occurredAt), locale, timeZone),
    whenIso: e.occurredAt,
    actor: e.actor.label,
    source: SOURCE_LABELS[e.source],
    what: e.description,
    target: e.target?.name ?? "—",
    changes: e.changes.map((c) => ({ field: c.field, before: display(c.before), after: display(c.after) })),
    clientAddress: e.clientAddress ?? "—",
    organisation: e.organisation?.name ?? "Platform",
  }));
}
