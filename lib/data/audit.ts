import { desc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditEvents } from "@/db/schema";

export interface AuditInput {
  organisationId: string | null;
  actor: { type: "user" | "api_token" | "cli" | "system"; userId?: string | null; label: string };
  action: string;
  target?: { type: string; id: string };
  /** Never a secret value (architecture.md, convention 5). */
  metadata?: Record<string, unknown>;
  ip?: string | null;
  userAgent?: string | null;
}

export async function recordAudit(db: Executor, event: AuditInput): Promise<void> {
  await db.insert(auditEvents).values({
    organisationId: event.organisationId,
    actorType: event.actor.type,
    actorUserId: event.actor.userId ?? null,
    actorLabel: event.actor.label,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    metadata: event.metadata ?? {},
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
