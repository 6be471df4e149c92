import type { Limit } from "./limit";

/**
 * May this request ask for a sign-in link (docs/security.md, "Rate limits")? At most one a minute
 * and five an hour to one address by default, and a bound per client address, counted in Postgres
 * so every instance agrees. The person sees the same page either way; a refused request only
 * means no mail, so the inbox of the person asked for cannot be flooded.
 */
export async function maySendSignInLink(
  limits: { perEmail: Limit | null; perAddress: Limit | null },
  email: string,
  address: string | null,
): Promise<boolean> {
  const [byAddress, byEmail] = await Promise.all([
    address && limits.perAddress ? limits.perAddress.hit(address) : 0,
    limits.perEmail ? limits.perEmail.hit(email) : 0,
  ]);
  return byAddress === 0 && byEmail === 0;
}
