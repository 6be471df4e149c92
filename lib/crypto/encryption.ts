import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM under a deployment-owned key ring. Each ciphertext names the key that made it, so
 * the deployment key can be rotated: new values use the first (current) key, old ones still
 * decrypt with theirs. The key id is also bound in as additional authenticated data.
 */

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface KeyRing {
  current: EncryptionKey;
  byId: ReadonlyMap<string, EncryptionKey>;
}

export class KeyRingError extends Error {
  override name = "KeyRingError";
}

/** Parses "kid:base64key[,kid2:base64key2...]", the first being current. */
export function parseKeyRing(spec: string): KeyRing {
  const keys = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const sep = entry.indexOf(":");
      if (sep <= 0) throw new KeyRingError(`ROTOR_ENCRYPTION_KEYS entry ${i + 1} must be kid:base64key`);
      const id = entry.slice(0, sep);
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
        throw new KeyRingError(`ROTOR_ENCRYPTION_KEYS entry ${i + 1}: key id must be 1-32 letters, digits, - or _`);
      }
      const key = Buffer.from(entry.slice(sep + 1), "base64");
      if (key.length !== 32) {
        throw new KeyRingError(`ROTOR_ENCRYPTION_KEYS key "${id}" must be 32 bytes in base64 (try: openssl rand -base64 32)`);
      }
      return { id, key };
    });
  const current = keys[0];
  if (!current) throw new KeyRingError("ROTOR_ENCRYPTION_KEYS has no key");
  const byId = new Map(keys.map((k) => [k.id, k]));
  if (byId.size !== keys.length) throw new KeyRingError("ROTOR_ENCRYPTION_KEYS names a key id twice");
  return { current, byId };
}

export function encrypt(plaintext: string, ring: KeyRing): { keyId: string; ciphertext: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv);
  cipher.setAAD(Buffer.from(ring.current.id, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return { keyId: ring.current.id, ciphertext: Buffer.concat([iv, tag, body]).toString("base64url") };
}

export function decrypt(ciphertext: string, keyId: string, ring: KeyRing): string {
  const key = ring.byId.get(keyId);
  if (!key) throw new KeyRingError(`No encryption key "${keyId}" in ROTOR_ENCRYPTION_KEYS`);
  const raw = Buffer.from(ciphertext, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key.key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(keyId, "utf8"));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
