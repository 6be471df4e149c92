import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { clientSecrets } from "@/db/schema";
import { digestSecret, generateClientSecret, secretTail } from "@/lib/crypto/client-secret";
import { encrypt, type KeyRing } from "@/lib/crypto/encryption";
import { secretCipherContext } from "@/lib/data/cipher-contexts";
import { DomainError, isLiveLimitViolation } from "@/lib/errors";
import { type RotationPolicy, secretExpiry } from "@/lib/rotation/secret-state";

export const TWO_LIVE_SECRETS =
  "This client already has two live secrets, the most allowed. Once your systems use the new secret, revoke the old one and rotate again; if a secret has leaked, use rotate after a compromise instead.";

export interface IssuedSecret {
  id: string;
  value: string;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Inserts a new secret: digest for verification, ciphertext only where the organisation allows
 * reveal (show-once keeps nothing decryptable), the tail for the masked display. The value is
 * returned once, to the caller that asked for it, and kept nowhere else.
 */
export async function insertNewSecret(
  tx: Executor,
  input: {
    clientUuid: string;
    policy: RotationPolicy;
    reveal: boolean;
    now: Date;
    keyRing: KeyRing;
    issuedBy: "user" | "api_token" | "cli" | "auto";
    userId: string | null;
    /** The live secret this one succeeds (unique among live successors). */
    replacesSecretId?: string | null;
  },
): Promise<IssuedSecret> {
  const value = generateClientSecret();
  // The id is made here, not by the database: the ciphertext is bound to its row (lib/crypto/encryption.ts).
  const id = randomUUID();
  const sealed = input.reveal ? encrypt(value, input.keyRing, secretCipherContext(id)) : null;
  const rows = await tx
    .insert(clientSecrets)
    .values({
      id,
      clientId: input.clientUuid,
      digest: digestSecret(value),
      ciphertext: sealed?.ciphertext ?? null,
      encryptionKeyId: sealed?.keyId ?? null,
      maskedTail: secretTail(value),
      createdAt: input.now,
      expiresAt: secretExpiry(input.now, input.policy).expiresAt,
      issuedBy: input.issuedBy,
      createdByUserId: input.userId,
      replacesSecretId: input.replacesSecretId ?? null,
    })
    .onConflictDoNothing({ target: clientSecrets.replacesSecretId, where: sql`${clientSecrets.revokedAt} is null` })
    .returning({ id: clientSecrets.id, createdAt: clientSecrets.createdAt, expiresAt: clientSecrets.expiresAt })
    .catch((error: unknown) => {
      // The database's own limit (db/migrations/0003_live_credential_limits.sql): only a path that
      // skipped the client lock can meet it, but its answer must still be the domain's.
      if (isLiveLimitViolation(error)) throw new DomainError("conflict", TWO_LIVE_SECRETS);
      throw error;
    });
  const row = rows[0];
  if (!row) {
    // The scheduler issued this secret's successor at the same moment.
    throw new DomainError("conflict", "A new secret was issued for this client a moment ago. Refresh to see it.");
  }
  return { ...row, value };
}
