import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type MembershipRole, memberships, organisations, platformOperators, users } from "@/db/schema";
import { unstorableTextProblem } from "@/lib/text-field";

export interface UserDto {
  id: string;
  name: string | null;
  email: string | null;
}

export async function findUserById(db: Executor, userId: string): Promise<UserDto | null> {
  const [row] = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, userId)).limit(1);
  return row ?? null;
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserDto | null> {
  // Reached by addresses nobody validated (Auth.js's own sign-in route): one that cannot be stored
  // belongs to nobody, and is not sent to the database (a NUL byte would fail the query).
  if (unstorableTextProblem(email)) return null;
  const [row] = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()))
    .limit(1);
  return row ?? null;
}

export async function isPlatformOperator(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: platformOperators.userId })
    .from(platformOperators)
    .where(eq(platformOperators.userId, userId))
    .limit(1);
  return row !== undefined;
}

export interface DemoAccountDto {
  userId: string;
  name: string | null;
  email: string | null;
  organisation: string | null;
  role: MembershipRole | "operator";
  active: boolean;
}

/** Every seeded person, for the demo sign-in page (demo mode only). */
export async function listDemoAccounts(db: Executor): Promise<DemoAccountDto[]> {
  const operators = await db
    .select({ userId: users.id, name: users.name, email: users.email })
    .from(platformOperators)
    .innerJoin(users, eq(users.id, platformOperators.userId));
  const members = await db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      organisation: organisations.name,
      role: memberships.role,
      status: memberships.status,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .orderBy(asc(organisations.name), asc(memberships.role), asc(users.name));
  return [
    ...operators.map((o) => ({ ...o, organisation: null, role: "operator" as const, active: true })),
    ...members.map(({ status, ...m }) => ({ ...m, active: status === "active" })),
  ];
}

/**
 * The person with this (normalised) e-mail, created when new: an invitation makes the account the
 * first sign-in links to (docs/security.md).
 */
export async function findOrCreateUser(
  tx: Executor,
  person: { email: string; name?: string | null; emailVerified?: Date | null },
  now: Date,
): Promise<UserDto> {
  const columns = { id: users.id, name: users.name, email: users.email };
  const [found] = await tx.select(columns).from(users).where(eq(users.email, person.email)).limit(1);
  if (found) return found;
  const [created] = await tx
    .insert(users)
    .values({ email: person.email, name: person.name ?? null, emailVerified: person.emailVerified ?? null, createdAt: now })
    .returning(columns);
  if (!created) throw new Error("user insert returned nothing");
  return created;
}

/** False when the person already is an operator. */
export async function insertOperator(tx: Executor, userId: string, createdBy: string | null, now: Date): Promise<boolean> {
  const inserted = await tx
    .insert(platformOperators)
    .values({ userId, createdAt: now, createdBy })
    .onConflictDoNothing()
    .returning({ userId: platformOperators.userId });
  return inserted.length > 0;
}

/** Whether the person is a platform operator now, read under a share lock (as lockCurrentRole). */
export async function lockOperator(tx: Executor, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ userId: platformOperators.userId })
    .from(platformOperators)
    .where(eq(platformOperators.userId, userId))
    .for("share");
  return row !== undefined;
}

/** False when the person is not an operator. The row is locked by the delete until commit. */
export async function deleteOperator(tx: Executor, userId: string): Promise<boolean> {
  const deleted = await tx
    .delete(platformOperators)
    .where(eq(platformOperators.userId, userId))
    .returning({ userId: platformOperators.userId });
  return deleted.length > 0;
}

/** How many operators remain, counted under a lock of them all (two removals cannot leave none). */
export async function lockOperatorCount(tx: Executor): Promise<number> {
  const rows = await tx.select({ userId: platformOperators.userId }).from(platformOperators).for("update");
  return rows.length;
}

export interface OperatorDto {
  email: string | null;
  name: string | null;
  since: Date;
}

export async function listOperators(db: Executor): Promise<OperatorDto[]> {
  return db
    .select({ email: users.email, name: users.name, since: platformOperators.createdAt })
    .from(platformOperators)
    .innerJoin(users, eq(users.id, platformOperators.userId))
    .orderBy(asc(users.email));
}
