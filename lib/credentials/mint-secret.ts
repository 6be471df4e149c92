import { randomUUID } from "node:crypto";
import { digestSecret, generateClientSecret, secretTail } from "@/lib/crypto/client-secret";
import { encrypt, type KeyRing } from "@/lib/crypto/encryption";
import { secretCipherContext } from "@/lib/data/cipher-contexts";
import { type RotationPolicy, secretExpiry } from "@/lib/rotation/secret-state";

export interface MintedSecret {
  /** Made here, so the ciphertext can be bound to its row (lib/crypto/encryption.ts). */
  id: string;
  /** The value itself: returned once to whoever asked for it, kept nowhere. */
  value: string;
  digest: string;
  ciphertext: string | null;
  encryptionKeyId: string | null;
  maskedTail: string;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * The one place a client secret is made (the portal, the API, the CLI, the scheduler, the demo
 * seed): a fresh value, its digest for verification, its tail for the masked display, its
 * ciphertext only where the organisation allows reveal (show-once keeps nothing decryptable), and
 * its expiry from the policy (docs/domain.md, "Client secrets").
 */
export function mintSecret(input: { createdAt: Date; policy: RotationPolicy; reveal: boolean; keyRing: KeyRing }): MintedSecret {
  const id = randomUUID();
  const value = generateClientSecret();
  const sealed = input.reveal ? encrypt(value, input.keyRing, secretCipherContext(id)) : null;
  return {
    id,
    value,
    digest: digestSecret(value),
    ciphertext: sealed?.ciphertext ?? null,
    encryptionKeyId: sealed?.keyId ?? null,
    maskedTail: secretTail(value),
    createdAt: input.createdAt,
    expiresAt: secretExpiry(input.createdAt, input.policy).expiresAt,
  };
}
