import { createCipheriv, randomBytes } from "node:crypto";
import type { KeyRing } from "./encryption";

/**
 * For tests of the upgrade path only: a value sealed as Rotor did before ciphertexts were bound to
 * where they are stored (bare base64url; the key id alone as additional data).
 */
export function legacyEncrypt(plaintext: string, ring: KeyRing): { keyId: string; ciphertext: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv);
  cipher.setAAD(Buffer.from(ring.current.id, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { keyId: ring.current.id, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url") };
}
