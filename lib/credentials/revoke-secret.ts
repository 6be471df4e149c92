import { auditActor, authorize, authorizeNow, type CredentialContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { lockClient, revokeSecrets, secretsOfClient } from "@/lib/data/credentials";
import { DomainError } from "@/lib/errors";
import { ENDED_SECRET_MESSAGE, LAST_LIVE_SECRET_MESSAGE } from "@/lib/rotation/secret-actions";
import { holdsAPlace, placeHolders, revokeLooksRisky } from "@/lib/rotation/secret-state";
import type { RevokeSecretInput } from "./schemas";

/**
 * End a secret now, e.g. once the integrator's systems use the new one. The last live secret stays.
 * Where Rotor's own records say the systems still use this secret (used in the last day, the new
 * one never), the client ID must be typed again.
 */
export async function revokeSecret(ctx: CredentialContext, input: RevokeSecretInput): Promise<{ revokedAt: Date }> {
  authorize(ctx, "credentials.rotate");
  return ctx.db.transaction(async (tx) => {
    const client = await lockClient(tx, ctx.organisation.id, input.clientId);
    await authorizeNow(tx, ctx, "credentials.rotate");
    const now = ctx.clock();
    const secrets = await secretsOfClient(tx, client.id);
    const target = secrets.find((s) => s.id === input.secretId);
    if (!target) throw new DomainError("not_found", "There is no such secret for this client.", "secretId");
    if (!holdsAPlace(target, now)) throw new DomainError("conflict", ENDED_SECRET_MESSAGE);
    if (placeHolders(secrets, now).length === 1) {
      throw new DomainError("conflict", LAST_LIVE_SECRET_MESSAGE);
    }
    const others = placeHolders(secrets, now).filter((s) => s.id !== target.id);
    if (revokeLooksRisky(target, others, now) && input.confirmClientId !== client.clientId) {
      throw new DomainError(
        "invalid",
        `This secret was used in the last 24 hours and the new secret has never been used, so your systems probably still use this one. Type the client ID ${client.clientId} to revoke it anyway.`,
        "confirmClientId",
      );
    }
    await revokeSecrets(tx, [target.id], { at: now, byUserId: ctx.actor.userId, reason: input.reason ?? "revoked" });
    await recordEvent(tx, {
      organisationId: ctx.organisation.id,
      actor: auditActor(ctx.actor),
      action: "secret.revoked",
      target: { type: "client_secret", id: target.id },
      metadata: { client: client.clientId, maskedTail: target.maskedTail },
      ip: ctx.actor.ip,
      userAgent: ctx.actor.userAgent,
    });
    return { revokedAt: now };
  });
}
