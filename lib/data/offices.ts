import { and, asc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { offices } from "@/db/schema";

export interface OfficeDto {
  id: string;
  name: string;
  addressLine1: string;
  addressLine2: string | null;
  town: string;
  postcode: string;
  country: string;
  phone: string | null;
  closedAt: Date | null;
}

/** Open offices first, then closed ones, each by name. */
const officeColumns = {
  id: offices.id,
  name: offices.name,
  addressLine1: offices.addressLine1,
  addressLine2: offices.addressLine2,
  town: offices.town,
  postcode: offices.postcode,
  country: offices.country,
  phone: offices.phone,
  closedAt: offices.closedAt,
};

export type OfficeValues = Omit<OfficeDto, "id" | "closedAt">;

/** Unique names per organisation (any case) are the database's rule: a clash is a unique violation. */
export async function insertOffice(
  db: Executor,
  organisationId: string,
  values: OfficeValues & { closedAt?: Date | null },
  createdAt: Date,
): Promise<OfficeDto> {
  const [row] = await db
    .insert(offices)
    .values({ organisationId, ...values, createdAt })
    .returning(officeColumns);
  if (!row) throw new Error("office insert returned nothing");
  return row;
}

/** Null when the office is not this organisation's. */
export async function updateOfficeOf(
  db: Executor,
  organisationId: string,
  officeId: string,
  values: OfficeValues,
): Promise<OfficeDto | null> {
  const [row] = await db
    .update(offices)
    .set(values)
    .where(and(eq(offices.id, officeId), eq(offices.organisationId, organisationId)))
    .returning(officeColumns);
  return row ?? null;
}

/** Null when the office is not this organisation's. */
export async function setOfficeClosedAt(
  db: Executor,
  organisationId: string,
  officeId: string,
  closedAt: Date | null,
): Promise<OfficeDto | null> {
  const [row] = await db
    .update(offices)
    .set({ closedAt })
    .where(and(eq(offices.id, officeId), eq(offices.organisationId, organisationId)))
    .returning(officeColumns);
  return row ?? null;
}

export async function listOffices(db: Executor, organisationId: string): Promise<OfficeDto[]> {
  return db
    .select(officeColumns)
    .from(offices)
    .where(eq(offices.organisationId, organisationId))
    .orderBy(sql`${offices.closedAt} is not null`, asc(offices.name));
}

/**
 * The organisation's office, locked against closing until the transaction ends, so a person is
 * never placed in an office closed a moment before; null when it is another organisation's.
 */
export async function lockOfficeOf(db: Executor, organisationId: string, officeId: string): Promise<OfficeDto | null> {
  const [row] = await db
    .select(officeColumns)
    .from(offices)
    .where(and(eq(offices.id, officeId), eq(offices.organisationId, organisationId)))
    .for("share");
  return row ?? null;
}
