import { auditActor, authorizeOperator, authorizeOperatorNow, type OrganisationContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { type ClientDto, lockOrganisationClient, setClientDisabledAt } from "@/lib/data/clients";
import { DomainError } from "@/lib/errors";
import type { ClientSwitchInput } from "./schemas";

/**
 * The platform operator (or the CLI) disables a client: from the next request the token endpoint
 * answers invalid_client, exactly as for an unknown client (docs/domain.md, "Clients"), and its
 * credentials stay as they were for when it is enabled again.
 */
export async function disableClient(ctx: OrganisationContext, input: ClientSwitchInput): Promise<ClientDto> {
  authorizeOperator(ctx);
  return ctx.db.transaction(async (tx) => {
    const client = await lockOrganisationClient(tx, ctx.organisation.id, input.clientId);
    if (!client) throw new DomainError("not_found", `There is no client ${input.clientId} in this organisation.`, "clientId");
    await authorizeOperatorNow(tx, ctx);
    if (client.disabledAt) {
      throw new DomainError("conflict", `Client ${client.clientId} is already disabled, since ${client.disabledAt.toISOString()}.`);
    }
    const updated = await setClientDisabledAt(tx, client.id, ctx.clock());
    await recordEvent(tx, {
      organisationId: ctx.organisation.id,
      actor: auditActor(ctx.actor),
      action: "client.disabled",
      target: { type: "oauth_client", id: client.id },
      metadata: { clientId: client.clientId },
      ip: ctx.actor.ip ?? null,
      userAgent: ctx.actor.userAgent ?? null,
    });
    return updated;
  });
}
