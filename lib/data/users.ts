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
