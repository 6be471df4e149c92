import { describeAuditEvent } from "@/lib/audit-descriptions";
import { AUDIT_ACTIONS } from "@/lib/data/audit";
import type { AuditTargetType } from "@/lib/data/audit-search";
import { AUDIT_ACTOR_TYPES } from "./schemas";

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const TARGET_LABELS: Record<AuditTargetType, string> = {
  oauth_client: "Client",
  client_secret: "Secret",
  client_public_key: "Public key",
  user: "Person",
  membership: "Membership",
  office: "Office",
  organisation: "Organisation",
  personal_api_token: "API token",
  webhook_endpoint: "Webhook endpoint",
};

const ACTOR_LABELS: Record<(typeof AUDIT_ACTOR_TYPES)[number], string> = {
  user: "Portal (a person)",
  api_token: "API (a token)",
  cli: "CLI",
  system: "Scheduler",
};

/** The audit log's filter choices in words: every catalogue action, actor type and target type. */
export function auditOptions() {
  return {
    actions: AUDIT_ACTIONS.map((a) => ({ value: a, label: `${capitalised(describeAuditEvent(a, {}))} (${a})` })),
    actorTypes: AUDIT_ACTOR_TYPES.map((t) => ({ value: t, label: ACTOR_LABELS[t] })),
    targetTypes: Object.entries(TARGET_LABELS).map(([value, label]) => ({ value, label })),
  };
}
