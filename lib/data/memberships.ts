import { and, asc, count, desc, eq, ilike, ne, or, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { type MembershipRole, memberships, offices, sessions, users } from "@/db/schema";

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
  officeId: string | null;
  joinedAt: Date;
  /** Null for someone invited who has never signed in. */
  lastSignedInAt: Date | null;
  /** When the invitation mail last went out; null for someone added without one. */
  invitationSentAt: Date | null;
}

export interface DeactivatedMemberDto extends MemberDto {
  deactivatedAt: Date;
  deactivatedBy: string | null;
}

/** What a people tab shows of each member: the one select the list and the search share. */
const memberColumns = {
  membershipId: memberships.id,
  userId: users.id,
  name: users.name,
  email: users.email,
  role: memberships.role,
  office: offices.name,
  officeId: offices.id,
  joinedAt: memberships.createdAt,
  lastSignedInAt: users.lastSignedInAt,
  invitationSentAt: memberships.invitationSentAt,
};

export async function listActiveMembers(db: Executor, organisationId: string): Promise<MemberDto[]> {
  return db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(offices, and(eq(offices.id, memberships.officeId), eq(offices.organisationId, organisationId)))
    .where(and(eq(memberships.organisationId, organisationId), eq(memberships.status, "active")))
    .orderBy(asc(users.name));
}

export async function listDeactivatedMembers(db: Executor, organisationId: string): Promise<DeactivatedMemberDto[]> {
  const actor = alias(users, "actor");
  const rows = await db
    .select({ ...memberColumns, deactivatedAt: memberships.deactivatedAt, deactivatedBy: actor.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(offices, and(eq(offices.id, memberships.officeId), eq(offices.organisationId, organisationId)))
    .leftJoin(actor, eq(actor.id, memberships.deactivatedBy))
    .where(and(eq(memberships.organisationId, organisationId), eq(memberships.status, "deactivated")))
    .orderBy(desc(memberships.deactivatedAt));
  // The check constraint guarantees deactivatedAt for deactivated rows.
  return rows.map((r) => ({ ...r, deactivatedAt: r.deactivatedAt as Date }));
}

/** Whether the organisation has an active designated user: without one nobody can rotate its secrets. */
export async function hasActiveSpoc(db: Executor, organisationId: string): Promise<boolean> {
  return (await countActiveInRole(db, organisationId, "spoc")) > 0;
}

/** A search of the people tabs (lib/people-filter.ts): words in the name or e-mail, a role, a page from 1. */
export interface MemberSearch {
  q: string;
  role: MembershipRole | null;
  page: number;
}

export interface MemberPage<T> {
  rows: T[];
  total: number;
  /** The page shown: the one asked for, or the last when that is past the end. */
  page: number;
  pageCount: number;
}

export const PEOPLE_PAGE_SIZE = 25;

/** A LIKE pattern matching the text anywhere, its own %, _ and backslash taken literally (backslash is the escape). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function searchConditions(organisationId: string, status: "active" | "deactivated", search: MemberSearch): SQL | undefined {
  const pattern = search.q ? containsPattern(search.q) : null;
  return and(
    eq(memberships.organisationId, organisationId),
    eq(memberships.status, status),
    ...(search.role ? [eq(memberships.role, search.role)] : []),
    ...(pattern ? [or(ilike(users.email, pattern), ilike(users.name, pattern))] : []),
  );
}

async function pageOf(db: Executor, where: SQL | undefined, page: number): Promise<{ page: number; pageCount: number; total: number }> {
  const [row] = await db.select({ n: count() }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(where);
  const total = row?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / PEOPLE_PAGE_SIZE));
  return { total, pageCount, page: Math.min(page, pageCount) };
}

/** One page of the active members matching the search, by name (then e-mail, so pages never overlap). */
export async function searchActiveMembers(db: Executor, organisationId: string, search: MemberSearch): Promise<MemberPage<MemberDto>> {
  const where = searchConditions(organisationId, "active", search);
  const at = await pageOf(db, where, search.page);
  const rows = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(offices, and(eq(offices.id, memberships.officeId), eq(offices.organisationId, organisationId)))
    .where(where)
    .orderBy(asc(users.name), asc(users.email), asc(memberships.id))
    .limit(PEOPLE_PAGE_SIZE)
    .offset((at.page - 1) * PEOPLE_PAGE_SIZE);
  return { rows, ...at };
}

/** One page of the de-activated members matching the search, latest de-activation first. */
export async function searchDeactivatedMembers(
  db: Executor,
  organisationId: string,
  search: MemberSearch,
): Promise<MemberPage<DeactivatedMemberDto>> {
  const where = searchConditions(organisationId, "deactivated", search);
  const at = await pageOf(db, where, search.page);
  const actor = alias(users, "actor");
  const rows = await db
    .select({ ...memberColumns, deactivatedAt: memberships.deactivatedAt, deactivatedBy: actor.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(offices, and(eq(offices.id, memberships.officeId), eq(offices.organisationId, organisationId)))
    .leftJoin(actor, eq(actor.id, memberships.deactivatedBy))
    .where(where)
    .orderBy(desc(memberships.deactivatedAt), asc(memberships.id))
    .limit(PEOPLE_PAGE_SIZE)
    .offset((at.page - 1) * PEOPLE_PAGE_SIZE);
  // The check constraint guarantees deactivatedAt for deactivated rows.
  return { rows: rows.map((r) => ({ ...r, deactivatedAt: r.deactivatedAt as Date })), ...at };
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

export type MembershipRow = typeof memberships.$inferSelect;

/** A membership of this organisation with its person's e-mail, locked for update; null when it is another organisation's. */
export async function lockMembership(
  tx: Executor,
  organisationId: string,
  membershipId: string,
): Promise<{ membership: MembershipRow; email: string | null; lastSignedInAt: Date | null } | null> {
  const [row] = await tx
    .select({ membership: memberships, email: users.email, lastSignedInAt: users.lastSignedInAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.id, membershipId), eq(memberships.organisationId, organisationId)))
    .for("update");
  return row ?? null;
}

/** The person's membership of the organisation, active or not, locked for update. */
export async function lockMembershipOfUser(tx: Executor, organisationId: string, userId: string): Promise<MembershipRow | null> {
  const [row] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.organisationId, organisationId), eq(memberships.userId, userId)))
    .for("update");
  return row ?? null;
}

/** Every membership of the organisation with its person's e-mail, locked for update. */
export async function lockOrganisationMemberships(
  tx: Executor,
  organisationId: string,
): Promise<{ membership: MembershipRow; email: string | null }[]> {
  return tx
    .select({ membership: memberships, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organisationId, organisationId))
    .for("update");
}

/** How many active members hold the role, leaving out one membership (the one about to change). */
export async function countActiveInRole(tx: Executor, organisationId: string, role: MembershipRole, except?: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(
      and(
        eq(memberships.organisationId, organisationId),
        eq(memberships.role, role),
        eq(memberships.status, "active"),
        ...(except ? [ne(memberships.id, except)] : []),
      ),
    );
  return row?.n ?? 0;
}

/** The membership's id by its person's e-mail (any status), or null. */
export async function findMembershipIdByEmail(db: Executor, organisationId: string, email: string): Promise<string | null> {
  const [row] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organisationId, organisationId), eq(users.email, email)));
  return row?.id ?? null;
}

export interface MembershipGrant {
  role: MembershipRole;
  invitedBy: string | null;
  createdAt: Date;
  /** Where they work; left as it was when not given. */
  officeId?: string | null;
}

/** An active membership with the role: a new one, or the person's old one brought back. */
export async function grantMembership(
  tx: Executor,
  organisationId: string,
  userId: string,
  existingId: string | null,
  grant: MembershipGrant,
): Promise<MembershipRow> {
  const values = {
    role: grant.role,
    status: "active" as const,
    deactivatedAt: null,
    deactivatedBy: null,
    invitedBy: grant.invitedBy,
    officeId: grant.officeId,
  };
  const [row] = existingId
    ? await tx.update(memberships).set(values).where(eq(memberships.id, existingId)).returning()
    : await tx
        .insert(memberships)
        .values({ organisationId, userId, createdAt: grant.createdAt, ...values })
        .returning();
  if (!row) throw new Error("membership write returned nothing");
  return row;
}

export async function setMembershipRole(tx: Executor, membershipId: string, role: MembershipRole): Promise<MembershipRow> {
  const [row] = await tx.update(memberships).set({ role }).where(eq(memberships.id, membershipId)).returning();
  if (!row) throw new Error("membership update returned nothing");
  return row;
}

/** Where the person works now: an office of the membership's organisation, or none. */
export async function setMembershipOffice(tx: Executor, membershipId: string, officeId: string | null): Promise<MembershipRow> {
  const [row] = await tx.update(memberships).set({ officeId }).where(eq(memberships.id, membershipId)).returning();
  if (!row) throw new Error("membership update returned nothing");
  return row;
}

/** Makes the membership the active designated user's, whatever its role or status was. */
export async function makeSpoc(tx: Executor, membershipId: string): Promise<void> {
  await tx
    .update(memberships)
    .set({ role: "spoc", status: "active", deactivatedAt: null, deactivatedBy: null })
    .where(eq(memberships.id, membershipId));
}

/** De-activates the membership and ends every session of its person at once (docs/security.md). */
export async function deactivateMembership(
  tx: Executor,
  membership: { id: string; userId: string },
  at: Date,
  byUserId: string | null,
): Promise<void> {
  await tx
    .update(memberships)
    .set({ status: "deactivated", deactivatedAt: at, deactivatedBy: byUserId })
    .where(eq(memberships.id, membership.id));
  await tx.delete(sessions).where(eq(sessions.userId, membership.userId));
}

/** The invitation e-mail was queued now: the next resend waits from here. */
export async function markInvitationSent(tx: Executor, membershipId: string, at: Date): Promise<void> {
  await tx.update(memberships).set({ invitationSentAt: at }).where(eq(memberships.id, membershipId));
}

export async function reactivateMembership(tx: Executor, membershipId: string): Promise<void> {
  await tx.update(memberships).set({ status: "active", deactivatedAt: null, deactivatedBy: null }).where(eq(memberships.id, membershipId));
}

export interface PersonDto {
  email: string | null;
  role: MembershipRole;
  status: "active" | "deactivated";
}

/** Everyone ever a member of the organisation, by e-mail: the CLI's `org show`. */
export async function listPeople(db: Executor, organisationId: string): Promise<PersonDto[]> {
  return db
    .select({ email: users.email, role: memberships.role, status: memberships.status })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organisationId, organisationId))
    .orderBy(asc(users.email));
}

/**
 * What decides whether a person's invitations still let them sign in
 * (lib/organisations/invitation-rule.ts): whether they ever signed in, and when each of their
 * active memberships' invitation mail last went out (null: added without one).
 */
export async function findInvitationFacts(
  db: Executor,
  userId: string,
): Promise<{ lastSignedInAt: Date | null; invitationsSentAt: (Date | null)[] }> {
  const rows = await db
    .select({ lastSignedInAt: users.lastSignedInAt, membershipId: memberships.id, invitationSentAt: memberships.invitationSentAt })
    .from(users)
    .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.status, "active")))
    .where(eq(users.id, userId));
  return {
    lastSignedInAt: rows[0]?.lastSignedInAt ?? null,
    invitationsSentAt: rows.filter((r) => r.membershipId !== null).map((r) => r.invitationSentAt),
  };
}
