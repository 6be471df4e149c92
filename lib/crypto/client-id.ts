import { randomBase62 } from "./base62";

/** A public client identifier, 20 base62 characters like seed 000's "0oa3z2bmnknMSvUdA0i7". */
export function generateClientId(): string {
  return randomBase62(20);
}
