import type { RateLimitName } from "@/lib/metrics/metrics";
import { countRateLimitRefusal } from "@/lib/metrics/record";
import { addressKey } from "./client-auth-guard";
import type { Limit } from "./limit";

/**
 * May this request ask for a sign-in link (docs/security.md, "Rate limits")? Counted in Postgres so
 * every instance agrees, and the person sees the same page either way; a refused request only
 * means no mail, so the inbox of the person asked for cannot be flooded:
 * - per address asked for, from one client address: one a minute, five an hour by default, so an
 *   attacker elsewhere cannot use up the person's own allowance;
 * - per address asked for, from anywhere: a ceiling on the mail one inbox can receive;
 * - per client address, whatever addresses it asks for.
 */
export async function maySendSignInLink(
  limits: { perEmail: Limit | null; perEmailTotal: Limit | null; perAddress: Limit | null },
  email: string,
  address: string | null,
): Promise<boolean> {
  const from = address ? addressKey(address) : "unknown";
  // In this order, each counted only when the previous allowed it: a refused request does not use
  // up the inbox's ceiling, so one persistent asker cannot lock the person out for the hour.
  let refusedBy: RateLimitName | null = null;
  if (address && limits.perAddress && (await limits.perAddress.hit(from)) > 0) refusedBy = "sign_in_per_address";
  else if (limits.perEmail && (await limits.perEmail.hit(`${email} ${from}`)) > 0) refusedBy = "sign_in_per_email";
  else if (limits.perEmailTotal && (await limits.perEmailTotal.hit(email)) > 0) refusedBy = "sign_in_per_email_total";
  if (refusedBy) countRateLimitRefusal(refusedBy);
  return refusedBy === null;
}
