import { desc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditEvents } from "@/db/schema";

/**
 * The audit trail's closed set of events (docs/domain.md, "Every change is audited, in the same
 * transaction"): each action has its target kind and the shape of its metadata, so an event cannot
 * be written with a misspelt action or a stray field, and never with a secret value: no metadata
 * field below holds one. Set-based SQL (the scheduler's) names its actions from AUDIT_ACTIONS.
 */
/** A rotation's record: what became of the old secret, as chosen, before and after. */
interface RotationMetadata {
  client: string;
  revokedSecretIds: string[];
  oldSecret: "overlap" | "unchanged" | "until" | "revoke";
  previousSecretExpiresAt: string | null;
  previousSecretAcceptedUntil: string | null;
  /** YYYY-MM-DD in the organisation's zone. */
  previousSecretLastDay: string | null;
}

/** A client's settings as the audit trail records them (never a credential). */
export interface ClientSettingsMetadata {
  scopes: string[];
  audiences: string[];
  defaultAudience: string | null;
  tokenTtlSeconds: number;
  accessTokenAlg: "ES256" | "RS256";
  legacyAudience: boolean;
}

export interface AuditEventShapes {
  "secret.rotated": {
    target: "client_secret";
    metadata: RotationMetadata;
  };
  "secret.rotated_after_compromise": {
    target: "client_secret";
    metadata: RotationMetadata;
  };
  "secret.auto_issued": { target: "client_secret"; metadata: { client: string } };
  "secret.revoked": { target: "client_secret"; metadata: { client: string; maskedTail: string } };
  "secret.revealed": { target: "client_secret"; metadata: { client: string; maskedTail: string } };
  "secret.expired": { target: "client_secret"; metadata: { client: string; maskedTail: string } };
  "key.registered": {
    target: "client_public_key";
    metadata: {
      client: string;
      kid: string;
      thumbprint: string;
      type: "RSA" | "EC";
      alg: "RS256" | "PS256" | "ES256";
      bits: number;
      expiresAt: string | null;
    };
  };
  "key.revoked": { target: "client_public_key"; metadata: { client: string; kid: string } };
  "key.expired": { target: "client_public_key"; metadata: { client: string; kid: string } };
  "policy.updated": {
    target: "organisation";
    metadata: { before: Record<string, unknown>; after: Record<string, unknown>; ciphertextsDestroyed: number };
  };
  "api_token.created": { target: "personal_api_token"; metadata: { name: string; scope: string; expiresAt: string } };
  "api_token.revoked": { target: "personal_api_token"; metadata: { name: string } };
  "client.created": { target: "oauth_client"; metadata: { clientId: string; name: string } & ClientSettingsMetadata };
  /** Only the settings that changed, as they were and as they are. */
  "client.settings_updated": {
    target: "oauth_client";
    metadata: { clientId: string; before: Partial<ClientSettingsMetadata>; after: Partial<ClientSettingsMetadata> };
  };
  "client.disabled": { target: "oauth_client"; metadata: { clientId: string } };
  "client.enabled": { target: "oauth_client"; metadata: { clientId: string; disabledAt: string } };
  "client.jwks_uri_changed": { target: "oauth_client"; metadata: { client: string; from: string | null; to: string | null } };
  "office.added": { target: "office"; metadata: { name: string } };
  "office.updated": { target: "office"; metadata: { name: string } };
  "office.closed": { target: "office"; metadata: { name: string } };
  "office.reopened": { target: "office"; metadata: { name: string } };
  "organisation.created": { target: "organisation"; metadata: { slug: string; name: string } };
  "operator.added": { target: "user"; metadata: { email: string } };
  "operator.removed": { target: "user"; metadata: { email: string; apiTokensRevoked: number } };
  "platform.limits_updated": { target: null; metadata: Record<string, unknown> };
  "session.demo_sign_in": { target: null; metadata: Record<string, never> };
  "user.invited": { target: "user"; metadata: { email: string; role: string; office?: string } };
  "user.invitation_resent": { target: "user"; metadata: { email: string | null } };
  "user.role_changed": { target: "user"; metadata: { email: string | null; from: string; to: string; apiTokensRevoked: number } };
  "user.deactivated": { target: "user"; metadata: { email: string | null; apiTokensRevoked: number } };
  "user.reactivated": { target: "user"; metadata: { email: string | null } };
  "user.office_changed": { target: "user"; metadata: { email: string | null; from: string | null; to: string | null } };
  "user.spoc_designated": { target: "membership"; metadata: { email: string; previous: string | null; apiTokensRevoked: number } };
  /** A webhook endpoint (docs/webhooks.md): its address and events, never its signing secret. */
  "webhook.created": { target: "webhook_endpoint"; metadata: { url: string; eventTypes: string[] } };
  "webhook.updated": {
    target: "webhook_endpoint";
    metadata: {
      url: string;
      before: { url: string; description: string | null; eventTypes: string[] };
      after: { url: string; description: string | null; eventTypes: string[] };
    };
  };
  "webhook.deleted": { target: "webhook_endpoint"; metadata: { url: string } };
  "webhook.disabled": { target: "webhook_endpoint"; metadata: { url: string } };
  "webhook.enabled": { target: "webhook_endpoint"; metadata: { url: string } };
  "webhook.secret_rotated": { target: "webhook_endpoint"; metadata: { url: string; maskedTail: string; previousSecretUntil: string } };
}

export type AuditAction = keyof AuditEventShapes;

export const AUDIT_ACTIONS = [
  "secret.rotated",
  "secret.rotated_after_compromise",
  "secret.auto_issued",
  "secret.revoked",
  "secret.revealed",
  "secret.expired",
  "key.registered",
  "key.revoked",
  "key.expired",
  "policy.updated",
  "api_token.created",
  "api_token.revoked",
  "client.created",
  "client.jwks_uri_changed",
  "client.settings_updated",
  "client.disabled",
  "client.enabled",
  "office.added",
  "office.updated",
  "office.closed",
  "office.reopened",
  "organisation.created",
  "operator.added",
  "operator.removed",
  "platform.limits_updated",
  "session.demo_sign_in",
  "user.invited",
  "user.invitation_resent",
  "user.role_changed",
  "user.deactivated",
  "user.reactivated",
  "user.office_changed",
  "user.spoc_designated",
  "webhook.created",
  "webhook.updated",
  "webhook.deleted",
  "webhook.disabled",
  "webhook.enabled",
  "webhook.secret_rotated",
] as const satisfies readonly AuditAction[];

/** Who did it: a person, their API token, the CLI, or the scheduler. */
export interface AuditActor {
  type: "user" | "api_token" | "cli" | "system";
  userId?: string | null;
  label: string;
}

export type AuditEventInput = {
  [A in AuditAction]: {
    action: A;
    organisationId: string | null;
    actor: AuditActor;
    metadata: AuditEventShapes[A]["metadata"];
    ip?: string | null;
    userAgent?: string | null;
  } & (AuditEventShapes[A]["target"] extends null
    ? { target?: undefined }
    : { target: { type: AuditEventShapes[A]["target"]; id: string } });
}[AuditAction];

/** Writes one event; pass the transaction of the change it records, so both land or neither. */
export async function recordEvent(db: Executor, event: AuditEventInput): Promise<void> {
  await db.insert(auditEvents).values({
    organisationId: event.organisationId,
    actorType: event.actor.type,
    actorUserId: event.actor.userId ?? null,
    actorLabel: event.actor.label,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    metadata: event.metadata as Record<string, unknown>,
    ip: event.ip ?? null,
    userAgent: event.userAgent?.slice(0, 400) ?? null,
  });
}

export interface AuditEventDto {
  id: number;
  occurredAt: Date;
  actorType: string;
  actorLabel: string;
  action: string;
  targetType: string | null;
  metadata: Record<string, unknown>;
  ip: string | null;
}

/** The organisation's activity, newest first. */
export async function listAuditEvents(db: Executor, organisationId: string, limit = 20): Promise<AuditEventDto[]> {
  return db
    .select({
      id: auditEvents.id,
      occurredAt: auditEvents.occurredAt,
      actorType: auditEvents.actorType,
      actorLabel: auditEvents.actorLabel,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      metadata: auditEvents.metadata,
      ip: auditEvents.ip,
    })
    .from(auditEvents)
    .where(eq(auditEvents.organisationId, organisationId))
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(limit);
}
