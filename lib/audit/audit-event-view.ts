import { describeAuditEvent } from "@/lib/audit-descriptions";
import type { AuditSearchRow } from "@/lib/data/audit-search";

/**
 * One audit event as people and the management API read it (docs/domain.md, "The audit log"):
 * who, from where, what in plain words, on what by name, and what a settings change changed.
 * Built from columns and metadata that never hold a secret value.
 */
export interface AuditEventView {
  id: string;
  /** ISO 8601, UTC. */
  occurredAt: string;
  organisation: { slug: string; name: string } | null;
  actor: { label: string; type: "user" | "api_token" | "cli" | "system" };
  source: AuditSource;
  action: string;
  description: string;
  target: { type: string; id: string; name: string } | null;
  /** For settings changes: each field as it was and as it became. */
  changes: AuditChange[];
  clientAddress: string | null;
}

export type AuditSource = "portal" | "api" | "cli" | "scheduler";
export interface AuditChange {
  field: string;
  before: unknown;
  after: unknown;
}

const SOURCES: Record<AuditEventView["actor"]["type"], AuditSource> = {
  user: "portal",
  api_token: "api",
  cli: "cli",
  system: "scheduler",
};

export const SOURCE_LABELS: Record<AuditSource, string> = { portal: "Portal", api: "API", cli: "CLI", scheduler: "Scheduler" };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Before and after, where the event records them: a settings object pair, or one value's from and to. */
export function changesOf(action: string, metadata: Record<string, unknown>): AuditChange[] {
  if (isRecord(metadata.before) && isRecord(metadata.after)) {
    const before = metadata.before;
    const after = metadata.after;
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return fields
      .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
      .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
  }
  if ("from" in metadata && "to" in metadata) {
    const field =
      action === "client.jwks_uri_changed"
        ? "jwksUri"
        : action === "user.role_changed"
          ? "role"
          : action === "user.office_changed"
            ? "office"
            : "value";
    return [{ field, before: metadata.from ?? null, after: metadata.to ?? null }];
  }
  return [];
}

/** What the target is called: its name now, else what the event recorded, else its id. */
function targetOf(row: AuditSearchRow): AuditEventView["target"] {
  if (row.target_type === null || row.target_id === null) return null;
  const m = row.metadata;
  const recorded =
    row.target_type === "client_secret" && typeof m.maskedTail === "string"
      ? `ending ${m.maskedTail}`
      : row.target_type === "client_public_key" && typeof m.kid === "string"
        ? m.kid
        : row.target_type === "webhook_endpoint" && typeof m.url === "string"
          ? m.url
          : typeof m.name === "string"
            ? m.name
            : typeof m.email === "string"
              ? m.email
              : null;
  const base = row.target_name ?? recorded ?? row.target_id;
  const client = row.target_client ?? (typeof m.client === "string" ? m.client : null);
  const ofClient = client && (row.target_type === "client_secret" || row.target_type === "client_public_key") ? ` (client ${client})` : "";
  return { type: row.target_type, id: row.target_id, name: `${base}${ofClient}` };
}

export function toAuditEventView(row: AuditSearchRow, formatDay?: (isoDay: string) => string): AuditEventView {
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    organisation: row.organisation_slug && row.organisation_name ? { slug: row.organisation_slug, name: row.organisation_name } : null,
    actor: { label: row.actor_label, type: row.actor_type },
    source: SOURCES[row.actor_type],
    action: row.action,
    description: describeAuditEvent(row.action, row.metadata, formatDay),
    target: targetOf(row),
    changes: changesOf(row.action, row.metadata),
    clientAddress: row.ip,
  };
}
