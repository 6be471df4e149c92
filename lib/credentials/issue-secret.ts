import type { Executor } from "@/db/client";
import { clientSecrets } from "@/db/schema";
import { digestSecret, generateClientSecret, secretTail } from "@/lib/crypto/client-secret";
import { encrypt, type KeyRing } from "@/lib/crypto/encryption";
import { type RotationPolicy, secretExpiry } from "@/lib/rotation/secret-state";

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
  },
): Promise<IssuedSecret> {
  const value = generateClientSecret();
  const sealed = input.reveal ? encrypt(value, input.keyRing) : null;
  const [row] = await tx
    .insert(clientSecrets)
    .values({
      clientId: input.clientUuid,
      digest: digestSecret(value),
      ciphertext: sealed?.ciphertext ?? null,
      encryptionKeyId: sealed?.keyId ?? null,
      maskedTail: secretTail(value),
      createdAt: input.now,
      expiresAt: secretExpiry(input.now, input.policy).expiresAt,
      issuedBy: input.issuedBy,
      createdByUserId: input.userId,
    })
    .returning({ id: clientSecrets.id, createdAt: clientSecrets.createdAt, expiresAt: clientSecrets.expiresAt });
  if (!row) throw new Error("secret insert returned nothing");
  return { ...row, value };
}
