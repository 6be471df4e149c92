import { auditActor, authorizeOperator, authorizeOperatorNow, type OrganisationContext } from "@/lib/context";
import { type ClientSettingsMetadata, recordEvent } from "@/lib/data/audit";
import { type ClientDto, lockOrganisationClient, updateClientSettings as writeClientSettings } from "@/lib/data/clients";
import { getPlatformSettings } from "@/lib/data/platform";
import { DomainError } from "@/lib/errors";
import { chooseDefaultAudience } from "@/lib/organisations/schemas";
import type { UpdateClientSettingsInput } from "./schemas";

export function settingsOf(client: ClientDto): ClientSettingsMetadata {
  return {
    scopes: client.allowedScopes,
    audiences: client.allowedAudiences,
    defaultAudience: client.defaultAudience,
    tokenTtlSeconds: client.accessTokenTtlSeconds,
    accessTokenAlg: client.accessTokenAlg,
    legacyAudience: client.legacyAudience,
  };
}

/**
 * The default after a change of audiences: the one named; else the current default while it is
 * still among them; else the only audience; never a silent pick among several (docs/domain.md,
 * "Clients").
 */
function nextDefaultAudience(current: string | null, audiences: readonly string[], named: string | undefined): string | null {
  const keep = named === undefined && current !== null && audiences.includes(current) ? current : named;
  const chosen = chooseDefaultAudience(audiences, keep);
  if (chosen !== null && typeof chosen === "object") {
    throw new DomainError(
      "invalid",
      named === undefined && current !== null
        ? `The default audience ${current} is no longer among the audiences. ${chosen.refusal}`
        : chosen.refusal,
      "defaultAudience",
    );
  }
  return chosen;
}

/**
 * The platform operator (or the CLI) changes a client's scopes, audiences, default audience,
 * access-token lifetime, signing algorithm or legacy `aud` switch. The token endpoint reads the
 * client on every request (lib/data/token-store.ts, no cache), so the next token follows the
 * change. Only what changed is audited, before and after.
 */
export async function updateClientSettings(ctx: OrganisationContext, input: UpdateClientSettingsInput): Promise<ClientDto> {
  authorizeOperator(ctx);
  return ctx.db.transaction(async (tx) => {
    const client = await lockOrganisationClient(tx, ctx.organisation.id, input.clientId);
    if (!client) throw new DomainError("not_found", `There is no client ${input.clientId} in this organisation.`, "clientId");
    await authorizeOperatorNow(tx, ctx);
    const audiences = input.audiences ?? client.allowedAudiences;
    if (input.audiences) {
      const limits = await getPlatformSettings(tx);
      const refused = limits.allowedAudiences.length ? input.audiences.filter((a) => !limits.allowedAudiences.includes(a)) : [];
      if (refused.length) {
        throw new DomainError(
          "invalid",
          `The platform does not allow the audience ${refused.join(", ")}; allowed: ${limits.allowedAudiences.join(", ")}.`,
          "audiences",
        );
      }
    }
    const after: ClientSettingsMetadata = {
      scopes: input.scopes ?? client.allowedScopes,
      audiences,
      defaultAudience: nextDefaultAudience(client.defaultAudience, audiences, input.defaultAudience),
      tokenTtlSeconds: input.tokenTtlSeconds ?? client.accessTokenTtlSeconds,
      accessTokenAlg: input.accessTokenAlg ?? client.accessTokenAlg,
      legacyAudience: input.legacyAudience ?? client.legacyAudience,
    };
    const before = settingsOf(client);
    const changed = (Object.keys(after) as (keyof ClientSettingsMetadata)[]).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    if (changed.length === 0) return client;
    const updated = await writeClientSettings(tx, client.id, {
      allowedScopes: after.scopes,
      allowedAudiences: after.audiences,
      defaultAudience: after.defaultAudience,
      accessTokenTtlSeconds: after.tokenTtlSeconds,
      accessTokenAlg: after.accessTokenAlg,
      legacyAudience: after.legacyAudience,
    });
    await recordEvent(tx, {
      organisationId: ctx.organisation.id,
      actor: auditActor(ctx.actor),
      action: "client.settings_updated",
      target: { type: "oauth_client", id: client.id },
      metadata: {
        clientId: client.clientId,
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k]])),
      },
      ip: ctx.actor.ip ?? null,
      userAgent: ctx.actor.userAgent ?? null,
    });
    return updated;
  });
}
