import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM under a deployment-owned key ring. Each ciphertext names the key that made it, so
 * the deployment key can be rotated: new values use the first (current) key, old ones still
 * decrypt with theirs.
 *
 * The additional authenticated data (RFC 5116 section 2.1; NIST SP 800-38D) binds each value to
 * the key id and to the table, column and row it is stored in, so a ciphertext copied into another
 * row or column does not decrypt there. Values written before that binding (the "v1" format: bare
 * base64url, with only the key id as additional data) still decrypt, so a deployment can roll;
 * lib/data/reencrypt.ts rewrites them in the current format.
 */

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface KeyRing {
  current: EncryptionKey;
  byId: ReadonlyMap<string, EncryptionKey>;
}

/** Where a ciphertext is stored; part of what it authenticates. */
export interface CipherContext {
  table: string;
  column: string;
  /** The row's primary key, as text. */
  row: string;
}

export class KeyRingError extends Error {
  override name = "KeyRingError";
}

/** The value does not authenticate: tampered with, or stored somewhere other than where it was sealed. */
export class DecryptionError extends Error {
  override name = "DecryptionError";
}

/** Parses "kid:base64key[,kid2:base64key2...]", the first being current. Messages never echo a key. */
export function parseKeyRing(spec: string): KeyRing {
  const keys = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const sep = entry.indexOf(":");
      if (sep <= 0) throw new KeyRingError(`entry ${i + 1} must be kid:base64key, such as k2026:<output of openssl rand -base64 32>`);
      const id = entry.slice(0, sep);
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
        throw new KeyRingError(`entry ${i + 1}: the key id before ":" must be 1-32 letters, digits, - or _`);
      }
      const key = Buffer.from(entry.slice(sep + 1), "base64");
      if (key.length !== 32) {
        throw new KeyRingError(`key "${id}" must be 32 bytes in base64 (try: openssl rand -base64 32)`);
      }
      return { id, key };
    });
  const current = keys[0];
  if (!current) throw new KeyRingError("has no key: give kid:base64key (try: openssl rand -base64 32 for the key)");
  const byId = new Map(keys.map((k) => [k.id, k]));
  if (byId.size !== keys.length) throw new KeyRingError("names a key id twice: give each key its own id");
  return { current, byId };
}

export const CURRENT_CIPHERTEXT_PREFIX = "v2.";

/** True for a value written before ciphertexts were bound to where they are stored. */
export function isLegacyCiphertext(ciphertext: string): boolean {
  return !ciphertext.startsWith(CURRENT_CIPHERTEXT_PREFIX);
}

// JSON keeps the parts unambiguous: no choice of row text can make two contexts encode alike.
function additionalData(keyId: string, context: CipherContext): Buffer {
  return Buffer.from(JSON.stringify(["rotor", 2, keyId, context.table, context.column, context.row]), "utf8");
}

export function encrypt(plaintext: string, ring: KeyRing, context: CipherContext): { keyId: string; ciphertext: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv);
  cipher.setAAD(additionalData(ring.current.id, context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return { keyId: ring.current.id, ciphertext: CURRENT_CIPHERTEXT_PREFIX + Buffer.concat([iv, tag, body]).toString("base64url") };
}

export function decrypt(ciphertext: string, keyId: string, ring: KeyRing, context: CipherContext): string {
  const key = ring.byId.get(keyId);
  if (!key) throw new KeyRingError(`No encryption key "${keyId}" in ROTOR_ENCRYPTION_KEYS`);
  const legacy = isLegacyCiphertext(ciphertext);
  const raw = Buffer.from(legacy ? ciphertext : ciphertext.slice(CURRENT_CIPHERTEXT_PREFIX.length), "base64url");
  if (raw.length < 28) throw new DecryptionError("The stored value is not a ciphertext");
  const decipher = createDecipheriv("aes-256-gcm", key.key, raw.subarray(0, 12));
  decipher.setAAD(legacy ? Buffer.from(keyId, "utf8") : additionalData(keyId, context));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError(`The stored value does not authenticate as ${context.table}.${context.column} of this row`);
  }
}
