import { auditActor, authorize, authorizeNow, type CredentialContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { setClientJwksUri } from "@/lib/data/client-jwks";
import { lockClient } from "@/lib/data/credentials";
import { getPlatformSettings } from "@/lib/data/platform";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { checkOutboundTarget, OutboundError } from "@/lib/http/outbound";
import { jwksFetchLimits } from "@/lib/oauth/jwks-fetch-limits";
import type { SetJwksUriInput } from "./schemas";

/**
 * The designated user (or the operator) sets where the client publishes its signing keys, or
 * removes it (docs/domain.md, "Keys at a JWKS URL"). Checked here as far as it can be without
 * fetching: https, no credentials in it, and in production no private address, whether written
 * as a literal or where its name resolves now; the address is checked again on every fetch
 * (lib/http/outbound.ts). What was fetched from the previous URL is dropped, so keys never outlive
 * the URL they came from.
 */
export async function setJwksUri(ctx: CredentialContext, input: SetJwksUriInput): Promise<{ jwksUri: string | null }> {
  authorize(ctx, "credentials.rotate");
  const jwksUri = input.jwksUri === null || input.jwksUri === "" ? null : input.jwksUri;
  if (jwksUri !== null) {
    try {
      await checkOutboundTarget(jwksUri, jwksFetchLimits(env()));
    } catch (error) {
      if (error instanceof OutboundError) throw new DomainError("invalid", `This JWKS URL cannot be used: ${error.message}`, "jwksUri");
      throw error;
    }
  }
  return ctx.db.transaction(async (tx) => {
    const client = await lockClient(tx, ctx.organisation.id, input.clientId);
    await authorizeNow(tx, ctx, "credentials.rotate");
    // The operator may keep this to itself (Platform > limits); the CLI is the operator's.
    if (!ctx.isOperator && ctx.actor.type !== "cli" && !(await getPlatformSettings(tx)).spocsMaySetJwksUri) {
      throw new DomainError("forbidden", "On this platform the operator sets clients' JWKS URLs. Ask your platform operator.", "jwksUri");
    }
    if (client.jwksUri === jwksUri) return { jwksUri };
    await setClientJwksUri(tx, client.id, jwksUri);
    await recordEvent(tx, {
      organisationId: ctx.organisation.id,
      actor: auditActor(ctx.actor),
      action: "client.jwks_uri_changed",
      target: { type: "oauth_client", id: client.id },
      metadata: { client: client.clientId, from: client.jwksUri, to: jwksUri },
      ip: ctx.actor.ip,
      userAgent: ctx.actor.userAgent,
    });
    return { jwksUri };
  });
}
