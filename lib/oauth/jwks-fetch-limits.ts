import type { Env } from "@/lib/env";
import { DEFAULT_OUTBOUND_LIMITS, type OutboundLimits } from "@/lib/http/outbound";

/**
 * Fetching a client's JWKS URL: https to public addresses only in production; a development or test
 * deployment may use a plain-http test server on localhost (the e2e suite does). docs/security.md,
 * "Outbound requests".
 */
export function jwksFetchLimits(e: Pick<Env, "ROTOR_ENV">): OutboundLimits {
  const production = e.ROTOR_ENV === "production";
  return { ...DEFAULT_OUTBOUND_LIMITS, allowPrivateAddresses: !production, allowHttp: !production };
}
