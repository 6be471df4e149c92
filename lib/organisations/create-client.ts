import { auditActor, authorizeOperator, authorizeOperatorNow, type OrganisationContext } from "@/lib/context";
import { generateClientId } from "@/lib/crypto/client-id";
import { recordEvent } from "@/lib/data/audit";
import { type ClientDto, insertClient } from "@/lib/data/clients";
import type { OrganisationDto } from "@/lib/data/organisations";
import { getPlatformSettings } from "@/lib/data/platform";
import { DomainError } from "@/lib/errors";
import type { CreateClientInput } from "./schemas";

/**
 * A new OAuth client of the organisation, with no credential yet. The platform operator's (and
 * the CLI's): the audiences it may ask for are the platform's to allow (docs/domain.md).
 */
export async function createClient(
  ctx: OrganisationContext,
  input: CreateClientInput,
): Promise<{ organisation: OrganisationDto; client: ClientDto }> {
  authorizeOperator(ctx);
  const organisation = ctx.organisation;
  return ctx.db.transaction(async (tx) => {
    await authorizeOperatorNow(tx, ctx);
    const limits = await getPlatformSettings(tx);
    const refused = limits.allowedAudiences.length ? input.audiences.filter((a) => !limits.allowedAudiences.includes(a)) : [];
    if (refused.length) {
      throw new DomainError(
        "invalid",
        `The platform does not allow the audience ${refused.join(", ")}; allowed: ${limits.allowedAudiences.join(", ")}.`,
        "audiences",
      );
    }
    const client = await insertClient(tx, organisation.id, {
      clientId: generateClientId(),
      name: input.name,
      allowedScopes: input.scopes,
      allowedAudiences: input.audiences,
      defaultAudience: input.defaultAudience,
      accessTokenTtlSeconds: input.tokenTtlSeconds,
      legacyAudience: input.legacyAudience,
      accessTokenAlg: input.accessTokenAlg,
      createdAt: ctx.clock(),
    });
    await recordEvent(tx, {
      organisationId: organisation.id,
      actor: auditActor(ctx.actor),
      action: "client.created",
      target: { type: "oauth_client", id: client.id },
      metadata: {
        clientId: client.clientId,
        name: input.name,
        scopes: client.allowedScopes,
        audiences: client.allowedAudiences,
        defaultAudience: client.defaultAudience,
        tokenTtlSeconds: client.accessTokenTtlSeconds,
        accessTokenAlg: client.accessTokenAlg,
        legacyAudience: client.legacyAudience,
      },
      ip: ctx.actor.ip ?? null,
      userAgent: ctx.actor.userAgent ?? null,
    });
    return { organisation, client };
  });
}
