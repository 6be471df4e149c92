import { auditActor, authorize, authorizeNow, type OrganisationContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { type OfficeDto, setOfficeClosedAt } from "@/lib/data/offices";
import { DomainError } from "@/lib/errors";
import { NO_SUCH_OFFICE } from "./update-office";

/** Closing keeps the office's history (and its people's link to it); reopening undoes it. */
export async function setOfficeClosed(ctx: OrganisationContext, input: { officeId: string; closed: boolean }): Promise<OfficeDto> {
  authorize(ctx, "organisation.manage");
  return ctx.db.transaction(async (tx) => {
    await authorizeNow(tx, ctx, "organisation.manage");
    const office = await setOfficeClosedAt(tx, ctx.organisation.id, input.officeId, input.closed ? ctx.clock() : null);
    if (!office) throw new DomainError("not_found", NO_SUCH_OFFICE);
    await recordEvent(tx, {
      organisationId: ctx.organisation.id,
      actor: auditActor(ctx.actor),
      action: input.closed ? "office.closed" : "office.reopened",
      target: { type: "office", id: office.id },
      metadata: { name: office.name },
    });
    return office;
  });
}
