import { auditActor, authorize, authorizeNow, type CredentialContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { keysOfClient, lockClient, revokePublicKey as revokeKeyRow } from "@/lib/data/credentials";
import { DomainError } from "@/lib/errors";
import { ENDED_KEY_MESSAGE } from "@/lib/rotation/secret-actions";
import { holdsAPlace } from "@/lib/rotation/secret-state";
import type { RevokeKeyInput } from "./schemas";

export async function revokePublicKey(ctx: CredentialContext, input: RevokeKeyInput): Promise<{ revokedAt: Date }> {
  authorize(ctx, "credentials.rotate");
  return ctx.db.transaction(async (tx) => {
    const client = await lockClient(tx, ctx.organisation.id, input.clientId);
    await authorizeNow(tx, ctx, "credentials.rotate");
    const now = ctx.clock();
    const key = (await keysOfClient(tx, client.id)).find((k) => k.id === input.keyId);
    if (!key) throw new DomainError("not_found", "There is no such key for this client.", "keyId");
    if (!holdsAPlace(key, now)) throw new DomainError("conflict", ENDED_KEY_MESSAGE);
    await revokeKeyRow(tx, key.id, { at: now, byUserId: ctx.actor.userId });
    await recordEvent(tx, {
      organisationId: ctx.organisation.id,
      actor: auditActor(ctx.actor),
      action: "key.revoked",
      target: { type: "client_public_key", id: key.id },
      metadata: { client: client.clientId, kid: key.kid },
      ip: ctx.actor.ip,
      userAgent: ctx.actor.userAgent,
    });
    return { revokedAt: now };
  });
}
