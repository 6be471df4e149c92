import { createHash, timingSafeEqual } from "node:crypto";
import { randomBase62, toBase62 } from "./base62";

/**
 * Client secrets: 30 random base62 characters (about 178 bits) behind a recognisable prefix,
 * followed by a CRC-32 checksum, as GitHub's tokens do: secret scanners can match the prefix and
 * verify the checksum offline, and a mistyped secret is refused before any database look-up.
 * Stored only as a SHA-256 digest (a fast digest is the norm for random high-entropy secrets;
 * slow hashes are for human passwords) plus, where reveal is allowed, an AES-GCM ciphertext.
 */

export const CLIENT_SECRET_PREFIX = "rtr_cs_";
const BODY_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
const SHAPE = new RegExp(`^${CLIENT_SECRET_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, "utf8")) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function checksum(body: string): string {
  return toBase62(crc32(CLIENT_SECRET_PREFIX + body), CHECKSUM_LENGTH);
}

export function generateClientSecret(): string {
  const body = randomBase62(BODY_LENGTH);
  return `${CLIENT_SECRET_PREFIX}${body}${checksum(body)}`;
}

/** Shape and checksum only: no database needed to refuse a typo or a truncated paste. */
export function isWellFormedClientSecret(value: string): boolean {
  if (!SHAPE.test(value)) return false;
  const body = value.slice(CLIENT_SECRET_PREFIX.length, CLIENT_SECRET_PREFIX.length + BODY_LENGTH);
  return value.slice(-CHECKSUM_LENGTH) === checksum(body);
}

export function digestSecret(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** Constant-time comparison of two hex digests. */
export function digestsMatch(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** The characters kept for the masked display. */
export function secretTail(value: string): string {
  return value.slice(-4);
}

/** The UI never shows more than the tail (domain.md). */
export function maskSecret(tail: string): string {
  return `${"•".repeat(12)}${tail}`;
}
