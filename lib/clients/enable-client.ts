import { auditActor, authorizeOperator, authorizeOperatorNow, type OrganisationContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { type ClientDto, lockOrganisationClient, setClientDisabledAt } from "@/lib/data/clients";
import { DomainError } from "@/lib/errors";
import type { ClientSwitchInput } from "./schemas";

/**
 * The platform operator (or the CLI) enables a disabled client again: its live secrets and keys
 * work from the next request (docs/domain.md, "Clients"). The audit event keeps since when it was
 * disabled.
 */
export async function enableClient(ctx: OrganisationContext, input: ClientSwitchInput): Promise<ClientDto> {
  authorizeOperator(ctx);
  return ctx.db.transaction(async (tx) => {
    const client = await lockOrganisationClient(tx, ctx.organisation.id, input.clientId);
    if (!client) throw new DomainError("not_found", `There is no client ${input.clientId} in this organisation.`, "clientId");
    await authorizeOperatorNow(tx, ctx);
    if (!client.disabledAt) throw new DomainError("conflict", `Client ${client.clientId} is not disabled.`);
    const updated = await setClientDisabledAt(tx, client.id, null);
    await recordEvent(tx, {
      organisationId: ctx.organisation.id,
      actor: auditActor(ctx.actor),
      action: "client.enabled",
      target: { type: "oauth_client", id: client.id },
      metadata: { clientId: client.clientId, disabledAt: client.disabledAt.toISOString() },
      ip: ctx.actor.ip ?? null,
      userAgent: ctx.actor.userAgent ?? null,
    });
    return updated;
  });
}
