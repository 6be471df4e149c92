import type { Database } from "@/db/client";
import type { MembershipRole } from "@/db/schema";
import { can, type Permission } from "@/lib/auth/permissions";
import type { KeyRing } from "@/lib/crypto/encryption";
import type { OrganisationDto } from "@/lib/data/organisations";
import { DomainError } from "@/lib/errors";
import type { RotationPolicy } from "@/lib/rotation/secret-state";

export interface Actor {
  type: "user" | "api_token" | "cli" | "system";
  userId: string | null;
  /** What the audit trail shows: an e-mail, "CLI", "Scheduler". Never a secret. */
  label: string;
  ip?: string | null;
  userAgent?: string | null;
}

/** Everything a credential use case needs, resolved by the edge that calls it. */
export interface CredentialContext {
  db: Database;
  organisation: OrganisationDto;
  /** The caller's role in this organisation; null for the CLI and the scheduler, which act as the platform. */
  role: MembershipRole | null;
  actor: Actor;
  /**
   * The time, read when the use case acts: a change to a client's credentials reads it only once
   * it holds the client's lock, so a request that waited behind another judges liveness at the
   * moment it writes, not at the moment it arrived.
   */
  clock: () => Date;
  keyRing: KeyRing;
}

/** Each use case checks its caller again: a forged server-action call meets this, not a hidden button. */
export function authorize(ctx: CredentialContext, permission: Permission): void {
  if (ctx.actor.type === "cli" || ctx.actor.type === "system") return;
  if (ctx.role === null || !can(ctx.role, permission)) {
    throw new DomainError(
      "forbidden",
      permission === "credentials.rotate"
        ? "Only your organisation's designated user (SPOC) can change secrets and keys."
        : "Your role in this organisation does not allow this.",
    );
  }
}

export function policyOf(org: OrganisationDto): RotationPolicy {
  return { timeZone: org.timeZone, validityDays: org.validityDays, overlapDays: org.overlapDays };
}

export function auditActor(actor: Actor) {
  return { type: actor.type, userId: actor.userId, label: actor.label };
}
