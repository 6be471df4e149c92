import { randomBase62 } from "./base62";

/**
 * The client-ID format, the same as the database's check (db/schema.ts, oauth_client_id_format).
 * Anything else cannot name a client, so it is refused before any look-up.
 */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export function isWellFormedClientId(value: string): boolean {
  return CLIENT_ID_PATTERN.test(value);
}

/** A public client identifier, 20 base62 characters like seed 000's "0oa3z2bmnknMSvUdA0i7". */
export function generateClientId(): string {
  return randomBase62(20);
}
