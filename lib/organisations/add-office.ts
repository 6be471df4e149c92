import { auditActor, authorize, authorizeNow, type OrganisationContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { insertOffice, type OfficeDto } from "@/lib/data/offices";
import { officeNameTaken } from "./office-name";
import type { OfficeInput } from "./schemas";

/** A new office of the organisation; its admins manage offices (lib/auth/permissions.ts). */
export async function addOffice(ctx: OrganisationContext, input: OfficeInput): Promise<OfficeDto> {
  authorize(ctx, "organisation.manage");
  try {
    return await ctx.db.transaction(async (tx) => {
      await authorizeNow(tx, ctx, "organisation.manage");
      const office = await insertOffice(
        tx,
        ctx.organisation.id,
        { ...input, addressLine2: input.addressLine2 ?? null, phone: input.phone ?? null },
        ctx.clock(),
      );
      await recordEvent(tx, {
        organisationId: ctx.organisation.id,
        actor: auditActor(ctx.actor),
        action: "office.added",
        target: { type: "office", id: office.id },
        metadata: { name: input.name },
      });
      return office;
    });
  } catch (error) {
    throw officeNameTaken(error, input.name);
  }
}
