import { auditActor, authorize, authorizeNow, type CredentialContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { setClientLegacyAudience } from "@/lib/data/clients";
import { lockClient } from "@/lib/data/credentials";
import { getPlatformSettings } from "@/lib/data/platform";
import { DomainError } from "@/lib/errors";
import type { SetLegacyAudienceInput } from "./schemas";

/**
 * The designated user turns a client's legacy aud switch on or off, where the operator allows it
 * (Platform > limits; off by default, as the switch loosens what an assertion may say). The API
 * tab lists the aud values the client's systems send, so the person can see whether any still
 * needs it (docs/domain.md, "The token endpoint"). Audited as a settings change, before and after.
 */
export async function setLegacyAudience(ctx: CredentialContext, input: SetLegacyAudienceInput): Promise<{ legacyAudience: boolean }> {
  authorize(ctx, "credentials.rotate");
  return ctx.db.transaction(async (tx) => {
    const client = await lockClient(tx, ctx.organisation.id, input.clientId);
    await authorizeNow(tx, ctx, "credentials.rotate");
    if (!ctx.isOperator && ctx.actor.type !== "cli" && !(await getPlatformSettings(tx)).spocsMaySetLegacyAudience) {
      throw new DomainError(
        "forbidden",
        "On this platform the operator sets the legacy aud switch. Ask your platform operator.",
        "legacyAudience",
      );
    }
    if (client.legacyAudience === input.legacyAudience) return { legacyAudience: input.legacyAudience };
    await setClientLegacyAudience(tx, client.id, input.legacyAudience);
    await recordEvent(tx, {
      organisationId: ctx.organisation.id,
      actor: auditActor(ctx.actor),
      action: "client.settings_updated",
      target: { type: "oauth_client", id: client.id },
      metadata: {
        clientId: client.clientId,
        before: { legacyAudience: client.legacyAudience },
        after: { legacyAudience: input.legacyAudience },
      },
      ip: ctx.actor.ip,
      userAgent: ctx.actor.userAgent,
    });
    return { legacyAudience: input.legacyAudience };
  });
}
