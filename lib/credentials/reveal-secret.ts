import { auditActor, authorize, authorizeNow, type CredentialContext } from "@/lib/context";
import { DecryptionError, decrypt } from "@/lib/crypto/encryption";
import { recordEvent } from "@/lib/data/audit";
import { secretCipherContext } from "@/lib/data/cipher-contexts";
import { findSecretOfClient } from "@/lib/data/credentials";
import { DomainError } from "@/lib/errors";
import { GONE_SECRET_MESSAGE, NOT_STORED_MESSAGE, SHOW_ONCE_MESSAGE } from "@/lib/rotation/secret-actions";
import { isLive } from "@/lib/rotation/secret-state";
import type { RevealSecretInput } from "./schemas";

/**
 * Seeds 000 and 001 let admins read a secret again. Only where the organisation's policy allows
 * it, only live secrets, and every reveal is audited (the audit record names the secret, never
 * its value).
 */
export async function revealSecret(ctx: CredentialContext, input: RevealSecretInput): Promise<{ value: string }> {
  authorize(ctx, "secrets.reveal");
  if (ctx.organisation.secretRevealPolicy !== "reveal") {
    throw new DomainError("conflict", SHOW_ONCE_MESSAGE);
  }
  // The reveal and its audit event together, and the caller's role checked again as it is now.
  return ctx.db.transaction(async (tx) => {
    await authorizeNow(tx, ctx, "secrets.reveal");
    const row = await findSecretOfClient(tx, ctx.organisation.id, input.clientId, input.secretId);
    if (!row) throw new DomainError("not_found", "There is no such secret for this client.", "secretId");
    if (!isLive(row.secret, ctx.clock())) throw new DomainError("gone", GONE_SECRET_MESSAGE);
    if (row.secret.ciphertext === null || row.secret.encryptionKeyId === null) {
      throw new DomainError("gone", NOT_STORED_MESSAGE);
    }
    const value = openSecret(ctx, row.secret.id, row.secret.ciphertext, row.secret.encryptionKeyId);
    await recordEvent(tx, {
      organisationId: ctx.organisation.id,
      actor: auditActor(ctx.actor),
      action: "secret.revealed",
      target: { type: "client_secret", id: row.secret.id },
      metadata: { client: row.clientId, maskedTail: row.secret.maskedTail },
      ip: ctx.actor.ip,
      userAgent: ctx.actor.userAgent,
    });
    return { value };
  });
}

/** A ciphertext that does not authenticate for this row (moved or altered in the database) is refused, never shown. */
function openSecret(ctx: CredentialContext, secretId: string, ciphertext: string, keyId: string): string {
  try {
    return decrypt(ciphertext, keyId, ctx.keyRing, secretCipherContext(secretId));
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
    throw new DomainError("gone", "This secret's stored value cannot be verified, so it is not shown. Rotate to get a new secret.");
  }
}
