import { createHash, timingSafeEqual } from "node:crypto";
import { randomBase62, toBase62 } from "./base62";

/**
 * Bearer values Rotor issues (client secrets, personal API tokens): 30 random base62 characters
 * (about 178 bits) behind a recognisable prefix, followed by a CRC-32 checksum, as GitHub's
 * tokens do. Secret scanners can match the prefix and verify the checksum offline, and a mistyped
 * value is refused before any database look-up. Stored only as a SHA-256 digest: a fast digest is
 * the norm for random high-entropy values; slow hashes are for human passwords.
 */

const BODY_LENGTH = 30;
const CHECKSUM_LENGTH = 6;

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

function checksum(prefix: string, body: string): string {
  return toBase62(crc32(prefix + body), CHECKSUM_LENGTH);
}

export function generateToken(prefix: string): string {
  const body = randomBase62(BODY_LENGTH);
  return `${prefix}${body}${checksum(prefix, body)}`;
}

/** Shape and checksum only: no database needed to refuse a typo or a truncated paste. */
export function isWellFormedToken(value: string, prefix: string): boolean {
  if (value.length !== prefix.length + BODY_LENGTH + CHECKSUM_LENGTH || !value.startsWith(prefix)) return false;
  const rest = value.slice(prefix.length);
  if (!/^[0-9A-Za-z]+$/.test(rest)) return false;
  return rest.slice(BODY_LENGTH) === checksum(prefix, rest.slice(0, BODY_LENGTH));
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
