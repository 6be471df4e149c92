import { asc, eq, sql } from "drizzle-orm";
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
export async function listOffices(db: Executor, organisationId: string): Promise<OfficeDto[]> {
  return db
    .select({
      id: offices.id,
      name: offices.name,
      addressLine1: offices.addressLine1,
      addressLine2: offices.addressLine2,
      town: offices.town,
      postcode: offices.postcode,
      country: offices.country,
      phone: offices.phone,
      closedAt: offices.closedAt,
    })
    .from(offices)
    .where(eq(offices.organisationId, organisationId))
    .orderBy(sql`${offices.closedAt} is not null`, asc(offices.name));
}
