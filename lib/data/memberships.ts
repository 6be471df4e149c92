import { and, asc, desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { type MembershipRole, memberships, offices, users } from "@/db/schema";

export interface CallerMembershipDto {
  role: MembershipRole;
}

/** The caller's active membership of this organisation, or null: the authorization question. */
export async function findActiveMembership(db: Executor, organisationId: string, userId: string): Promise<CallerMembershipDto | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organisationId, organisationId), eq(memberships.userId, userId), eq(memberships.status, "active")))
    .limit(1);
  return row ?? null;
}

export interface MemberDto {
  membershipId: string;
  userId: string;
  name: string | null;
  email: string | null;
  role: MembershipRole;
  office: string | null;
  joinedAt: Date;
}

export interface DeactivatedMemberDto extends MemberDto {
  deactivatedAt: Date;
  deactivatedBy: string | null;
}

export async function listActiveMembers(db: Executor, organisationId: string): Promise<MemberDto[]> {
  return db
    .select({
      membershipId: memberships.id,
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      office: offices.name,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(offices, and(eq(offices.id, memberships.officeId), eq(offices.organisationId, organisationId)))
    .where(and(eq(memberships.organisationId, organisationId), eq(memberships.status, "active")))
    .orderBy(asc(users.name));
}

export async function listDeactivatedMembers(db: Executor, organisationId: string): Promise<DeactivatedMemberDto[]> {
  const actor = alias(users, "actor");
  const rows = await db
    .select({
      membershipId: memberships.id,
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      office: offices.name,
      joinedAt: memberships.createdAt,
      deactivatedAt: memberships.deactivatedAt,
      deactivatedBy: actor.name,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(offices, and(eq(offices.id, memberships.officeId), eq(offices.organisationId, organisationId)))
    .leftJoin(actor, eq(actor.id, memberships.deactivatedBy))
    .where(and(eq(memberships.organisationId, organisationId), eq(memberships.status, "deactivated")))
    .orderBy(desc(memberships.deactivatedAt));
  // The check constraint guarantees deactivatedAt for deactivated rows.
  return rows.map((r) => ({ ...r, deactivatedAt: r.deactivatedAt as Date }));
}

/** Each organisation's active designated user, for the platform operator. */
export async function listDesignatedUsers(db: Executor): Promise<Map<string, string | null>> {
  const rows = await db
    .select({ organisationId: memberships.organisationId, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.role, "spoc"), eq(memberships.status, "active")));
  return new Map(rows.map((r) => [r.organisationId, r.email]));
}

/**
 * The person's role in the organisation now, read under a share lock held to the end of the
 * transaction: a change of role or a de-activation committed before this read is seen, and one
 * attempted after waits for this transaction, so a change is never made by someone whose role was
 * already taken away (docs/domain.md, "The management API").
 */
export async function lockCurrentRole(tx: Executor, organisationId: string, userId: string): Promise<MembershipRole | null> {
  const [row] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organisationId, organisationId), eq(memberships.userId, userId), eq(memberships.status, "active")))
    .for("share");
  return row?.role ?? null;
}
