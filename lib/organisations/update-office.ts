import { auditActor, authorize, authorizeNow, type OrganisationContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { type OfficeDto, updateOfficeOf } from "@/lib/data/offices";
import { DomainError } from "@/lib/errors";
import { officeNameTaken } from "./office-name";
import type { UpdateOfficeInput } from "./schemas";

export const NO_SUCH_OFFICE = "There is no such office in your organisation.";

export async function updateOffice(ctx: OrganisationContext, input: UpdateOfficeInput): Promise<OfficeDto> {
  authorize(ctx, "organisation.manage");
  const details = input.office;
  try {
    return await ctx.db.transaction(async (tx) => {
      await authorizeNow(tx, ctx, "organisation.manage");
      const office = await updateOfficeOf(tx, ctx.organisation.id, input.officeId, {
        ...details,
        addressLine2: details.addressLine2 ?? null,
        phone: details.phone ?? null,
      });
      if (!office) throw new DomainError("not_found", NO_SUCH_OFFICE);
      await recordEvent(tx, {
        organisationId: ctx.organisation.id,
        actor: auditActor(ctx.actor),
        action: "office.updated",
        target: { type: "office", id: office.id },
        metadata: { name: details.name },
      });
      return office;
    });
  } catch (error) {
    throw officeNameTaken(error, details.name);
  }
}
