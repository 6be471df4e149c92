import { cookies } from "next/headers";
import { forbidden, notFound, redirect } from "next/navigation";
import { cache } from "react";
import type { MembershipRole } from "@/db/schema";
import { getDb } from "@/lib/data/database";
import { findActiveMembership } from "@/lib/data/memberships";
import { findOrganisationBySlug, listOrganisationsForUser, type OrganisationDto, type UserOrganisationDto } from "@/lib/data/organisations";
import { findSessionSignInTime } from "@/lib/data/sessions";
import { findUserById, isPlatformOperator } from "@/lib/data/users";
import { env } from "@/lib/env";
import { decideOperatorAccess, decideOrganisationAccess, isSomebody } from "./access-decision";
import { auth } from "./config";
import type { Permission } from "./permissions";
import { sessionCookieName } from "./session-cookie";
import { reauthenticatePathFor, signInIsRecent } from "./step-up";

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
  if (!isSomebody({ userExists: true, isOperator, activeOrganisations: organisations.length })) return null;
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
 * The authorization check every page and action of an organisation makes for itself: the facts
 * are read here, the decision is lib/auth/access-decision.ts, and this wrapper only turns it into
 * Next's answers. Another organisation's data is "not found", never "forbidden" (docs/security.md).
 */
export async function requireOrganisationAccess(slug: string, permission: Permission): Promise<OrganisationAccess> {
  const decided = await decideAccess(slug, permission);
  if (decided.outcome === "allowed") return decided.access;
  if (decided.outcome === "sign-in") redirect("/signin");
  if (decided.outcome === "not-found") notFound();
  forbidden();
}

/**
 * The same check for a route handler (a download), which answers with a status rather than
 * Next's pages: 401 signed out, 404 for an organisation that is not theirs, 403 for a role that
 * may not.
 */
export async function organisationAccessForRoute(
  slug: string,
  permission: Permission,
): Promise<{ ok: true; access: OrganisationAccess } | { ok: false; status: 401 | 403 | 404 }> {
  const decided = await decideAccess(slug, permission);
  if (decided.outcome === "allowed") return { ok: true, access: decided.access };
  return { ok: false, status: decided.outcome === "sign-in" ? 401 : decided.outcome === "not-found" ? 404 : 403 };
}

async function decideAccess(
  slug: string,
  permission: Permission,
): Promise<{ outcome: "sign-in" | "not-found" | "forbidden" } | { outcome: "allowed"; access: OrganisationAccess }> {
  const caller = await getCaller();
  const db = await getDb();
  const organisation = caller ? await findOrganisationBySlug(db, slug) : null;
  const membership = caller && organisation ? await findActiveMembership(db, organisation.id, caller.userId) : null;
  const decision = decideOrganisationAccess(
    { signedIn: caller !== null, organisationExists: organisation !== null, activeRole: membership?.role ?? null },
    permission,
  );
  if (decision.outcome !== "allowed") return { outcome: decision.outcome };
  // The decision allowed it, so both were found.
  return { outcome: "allowed", access: { caller: caller!, organisation: organisation!, role: decision.role } };
}

export async function requireOperator(): Promise<Caller> {
  const decided = await operatorForRoute();
  if (decided.ok) return decided.caller;
  if (decided.status === 401) redirect("/signin");
  notFound();
}

/**
 * The operator's check for a route handler (a download): 401 signed out, 404 for anyone who is not
 * a platform operator, as the Platform pages answer them.
 */
export async function operatorForRoute(): Promise<{ ok: true; caller: Caller } | { ok: false; status: 401 | 404 }> {
  const caller = await getCaller();
  const decision = decideOperatorAccess({ signedIn: caller !== null, isOperator: caller?.isOperator ?? false });
  if (decision === "allowed") return { ok: true, caller: caller! };
  return { ok: false, status: decision === "sign-in" ? 401 : 404 };
}

/** When this request's session was signed in (its cookie's row), or null without a valid session. */
const getSessionSignInTime = cache(async (): Promise<Date | null> => {
  const token = (await cookies()).get(sessionCookieName(env().ROTOR_PUBLIC_URL))?.value;
  if (!token) return null;
  return findSessionSignInTime(await getDb(), token, new Date());
});

/** Whether the dangerous actions may run without asking the person to sign in again (lib/auth/step-up.ts). */
export async function hasRecentSignIn(): Promise<boolean> {
  return signInIsRecent(await getSessionSignInTime(), new Date(), env().ROTOR_STEP_UP_MINUTES);
}

/**
 * Step-up: a session signed in longer ago than ROTOR_STEP_UP_MINUTES goes to the sign-in page's
 * "confirm it's you" form, which brings the person back to `returnTo` (docs/security.md).
 */
export async function requireRecentSignIn(returnTo: string): Promise<void> {
  if (!(await hasRecentSignIn())) redirect(reauthenticatePathFor(returnTo, env().ROTOR_PUBLIC_URL));
}
