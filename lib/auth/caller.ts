import { forbidden, notFound, redirect } from "next/navigation";
import { cache } from "react";
import type { MembershipRole } from "@/db/schema";
import { getDb } from "@/lib/data/database";
import { findActiveMembership } from "@/lib/data/memberships";
import { findOrganisationBySlug, listOrganisationsForUser, type OrganisationDto, type UserOrganisationDto } from "@/lib/data/organisations";
import { findUserById, isPlatformOperator } from "@/lib/data/users";
import { auth } from "./config";
import { can, type Permission } from "./permissions";

export interface Caller {
  userId: string;
  name: string | null;
  email: string | null;
  isOperator: boolean;
  organisations: UserOrganisationDto[];
}

/**
 * Who is asking, resolved from the database session on every request (per-request cached).
 * A signed-in person with neither an active membership nor operator rights is nobody here.
 */
export const getCaller = cache(async (): Promise<Caller | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  const db = await getDb();
  const user = await findUserById(db, userId);
  if (!user) return null;
  const [isOperator, organisations] = await Promise.all([isPlatformOperator(db, userId), listOrganisationsForUser(db, userId)]);
  if (!isOperator && organisations.length === 0) return null;
  return { userId, name: user.name, email: user.email, isOperator, organisations };
});

export async function requireCaller(): Promise<Caller> {
  const caller = await getCaller();
  if (!caller) redirect("/signin");
  return caller;
}

export interface OrganisationAccess {
  caller: Caller;
  organisation: OrganisationDto;
  role: MembershipRole;
}

/**
 * The authorization check every page and action of an organisation makes for itself. Another
 * organisation's data is "not found", never "forbidden" (architecture.md, convention 3); a role
 * without the permission in one's own organisation is "forbidden".
 */
export async function requireOrganisationAccess(slug: string, permission: Permission): Promise<OrganisationAccess> {
  const caller = await requireCaller();
  const db = await getDb();
  const organisation = await findOrganisationBySlug(db, slug);
  if (!organisation) notFound();
  const membership = await findActiveMembership(db, organisation.id, caller.userId);
  if (!membership) notFound();
  if (!can(membership.role, permission)) forbidden();
  return { caller, organisation, role: membership.role };
}

export async function requireOperator(): Promise<Caller> {
  const caller = await requireCaller();
  if (!caller.isOperator) notFound();
  return caller;
}
