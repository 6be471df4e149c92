import type { Database, Executor } from "@/db/client";
import type { MembershipRole } from "@/db/schema";
import { can, type Permission } from "@/lib/auth/permissions";
import type { KeyRing } from "@/lib/crypto/encryption";
import { lockLiveToken } from "@/lib/data/api-tokens";
import type { AuditActor } from "@/lib/data/audit";
import { lockCurrentRole } from "@/lib/data/memberships";
import type { OrganisationDto } from "@/lib/data/organisations";
import { lockOperator } from "@/lib/data/users";
import { DomainError } from "@/lib/errors";

/**
 * What every use case receives first, `(ctx, input)`: who acts, for which organisation, in which
 * role, on which database and clock. Edges (server actions, the management API, the CLI, the
 * scheduler) build it from an authenticated identity; the use case authorizes with it again,
 * so a forged call meets the rule, not a hidden button (docs/architecture.md).
 */

export interface Actor {
  type: "user" | "api_token" | "cli" | "system";
  userId: string | null;
  /** The personal API token a management API call came with. */
  tokenId?: string;
  /** What the audit trail shows: an e-mail, "CLI", "Scheduler". Never a secret. */
  label: string;
  ip?: string | null;
  userAgent?: string | null;
}

/** A use case of the platform as a whole (onboarding, limits, operators). */
export interface PlatformContext {
  db: Database;
  actor: Actor;
  /** Whether the acting person is a platform operator, as the edge resolved it from the database. */
  isOperator: boolean;
  /** The time, read when the use case acts (after any lock it takes). */
  clock: () => Date;
}

/** A use case inside one organisation. */
export interface OrganisationContext extends PlatformContext {
  organisation: OrganisationDto;
  /** The caller's role in this organisation; null for the CLI, the scheduler and an operator from outside. */
  role: MembershipRole | null;
}

/** A credential use case also needs the deployment's key ring. */
export interface CredentialContext extends OrganisationContext {
  keyRing: KeyRing;
}

const acting = (ctx: PlatformContext) => ctx.actor.type === "cli" || ctx.actor.type === "system";

/** The use case's own check: the CLI and the scheduler act as the platform; people by their role here. */
export function authorize(ctx: OrganisationContext, permission: Permission): void {
  if (acting(ctx)) return;
  if (ctx.role === null || !can(ctx.role, permission)) {
    throw new DomainError(
      "forbidden",
      permission === "credentials.rotate"
        ? "Only your organisation's designated user (SPOC) can change secrets and keys."
        : "Your role in this organisation does not allow this.",
    );
  }
}

/**
 * The same check again inside the use case's transaction, on the caller's role as it is now, read
 * under a share lock (and, for an API call, the token still live): the role an edge resolved when
 * the request arrived may have been taken away while the request waited for a lock.
 */
export async function authorizeNow(tx: Executor, ctx: OrganisationContext, permission: Permission): Promise<void> {
  if (acting(ctx) || ctx.actor.userId === null) return authorize(ctx, permission);
  const role = await lockCurrentRole(tx, ctx.organisation.id, ctx.actor.userId);
  if (ctx.actor.tokenId !== undefined && !(await lockLiveToken(tx, ctx.actor.tokenId, ctx.clock()))) {
    throw new DomainError("forbidden", "This API token was revoked while the request waited. Nothing was changed.");
  }
  authorize({ ...ctx, role }, permission);
}

/** Only the platform operator (or the CLI, which acts as one). */
export function authorizeOperator(ctx: PlatformContext): void {
  if (acting(ctx) || ctx.isOperator) return;
  throw new DomainError("forbidden", "Only the platform operator can do this.");
}

/**
 * authorizeOperator again inside the use case's transaction, on the person's place among the
 * operators as it is now, read under a share lock (and, for an API call, the token still live): an
 * operator removed while the request waited for a lock changes nothing (docs/domain.md, "The
 * management API").
 */
export async function authorizeOperatorNow(tx: Executor, ctx: PlatformContext): Promise<void> {
  authorizeOperator(ctx);
  if (acting(ctx) || ctx.actor.userId === null) return;
  if (!(await lockOperator(tx, ctx.actor.userId))) {
    throw new DomainError("forbidden", "You are no longer a platform operator. Nothing was changed.");
  }
  if (ctx.actor.tokenId !== undefined && !(await lockLiveToken(tx, ctx.actor.tokenId, ctx.clock()))) {
    throw new DomainError("forbidden", "This API token was revoked while the request waited. Nothing was changed.");
  }
}

export function auditActor(actor: Actor): AuditActor {
  return { type: actor.type, userId: actor.userId, label: actor.label };
}
