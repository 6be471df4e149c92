import { and, asc, eq, gt } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type MembershipRole, memberships, oauthClients, organisations } from "@/db/schema";

export interface OrganisationDto {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
  locale: string;
  validityDays: number;
  overlapDays: number;
  reminderOffsets: number[];
  autoIssue: boolean;
  secretRevealPolicy: "reveal" | "show_once";
}

const organisationColumns = {
  id: organisations.id,
  slug: organisations.slug,
  name: organisations.name,
  timeZone: organisations.timeZone,
  locale: organisations.locale,
  validityDays: organisations.validityDays,
  overlapDays: organisations.overlapDays,
  reminderOffsets: organisations.reminderOffsets,
  autoIssue: organisations.autoIssue,
  secretRevealPolicy: organisations.secretRevealPolicy,
};

/** The slug format, the same as the database's check (db/schema.ts, organisation_slug_format). */
export const ORGANISATION_SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export async function findOrganisationBySlug(db: Executor, slug: string): Promise<OrganisationDto | null> {
  // A slug from a URL or a bound action argument may be anything; one that cannot exist is not
  // looked up (a NUL byte would make the query fail rather than find nothing).
  if (!ORGANISATION_SLUG_PATTERN.test(slug)) return null;
  const [row] = await db.select(organisationColumns).from(organisations).where(eq(organisations.slug, slug)).limit(1);
  return row ?? null;
}

export async function listOrganisations(db: Executor): Promise<OrganisationDto[]> {
  return db.select(organisationColumns).from(organisations).orderBy(asc(organisations.name));
}

export interface UserOrganisationDto {
  slug: string;
  name: string;
  role: MembershipRole;
}

/** The organisations where the user has an active membership. */
export async function listOrganisationsForUser(db: Executor, userId: string): Promise<UserOrganisationDto[]> {
  return db
    .select({ slug: organisations.slug, name: organisations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "active")))
    .orderBy(asc(organisations.name));
}

export async function findOrganisationById(db: Executor, id: string): Promise<OrganisationDto | null> {
  const [row] = await db.select(organisationColumns).from(organisations).where(eq(organisations.id, id)).limit(1);
  return row ?? null;
}

/** The organisation a client belongs to, by the client's public id. */
export async function findOrganisationOfClient(db: Executor, clientId: string): Promise<OrganisationDto | null> {
  const [row] = await db
    .select(organisationColumns)
    .from(oauthClients)
    .innerJoin(organisations, eq(organisations.id, oauthClients.organisationId))
    .where(eq(oauthClients.clientId, clientId))
    .limit(1);
  return row ?? null;
}

export type NewOrganisation = Omit<OrganisationDto, "id"> & { createdAt: Date };

/** A taken slug fails with the database's unique violation (see isUniqueViolation). */
export async function insertOrganisation(db: Executor, values: NewOrganisation): Promise<OrganisationDto> {
  const [row] = await db.insert(organisations).values(values).returning(organisationColumns);
  if (!row) throw new Error("organisation insert returned nothing");
  return row;
}

/** Organisations whose policy is longer than a proposed platform maximum. */
export async function listOrganisationsOverValidity(db: Executor, maxValidityDays: number): Promise<{ name: string; days: number }[]> {
  return db
    .select({ name: organisations.name, days: organisations.validityDays })
    .from(organisations)
    .where(gt(organisations.validityDays, maxValidityDays));
}
