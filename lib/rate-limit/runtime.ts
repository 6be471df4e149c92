import type { DatabaseHandle } from "@/db/client";
import { getDatabaseHandle } from "@/lib/data/database";
import { type Env, env } from "@/lib/env";
import { createClientAuthGuard } from "./client-auth-guard";
import { Limit, type LimitStore, limitOrNone } from "./limit";
import { type LimitSpec, parseLimitSpec } from "./spec";

/**
 * The process's rate limits, built once from the environment (lib/env.ts validated every spec).
 * Kept on globalThis, like the database handle, so Next's bundle and the self-hosted server in the
 * same process count in the same place.
 */
const key = Symbol.for("rotor.rateLimits");
type Holder = { [key]?: Promise<RateLimits> };

const specs = (text: string): LimitSpec[] | null => {
  const parsed = parseLimitSpec(text);
  return parsed === "invalid" ? null : parsed;
};

export function buildRateLimits(e: Env, handle: DatabaseHandle, log: (line: string) => void = (l) => console.error(l)) {
  const machineStore: LimitStore = e.ROTOR_RATE_LIMIT_STORE === "postgres" ? { kind: "postgres", handle } : { kind: "memory" };
  const shared: LimitStore = { kind: "postgres", handle };
  return {
    clientAuth: createClientAuthGuard({
      failuresPerClient: limitOrNone("token-fail-client", specs(e.ROTOR_LIMIT_TOKEN_FAILURES_PER_CLIENT), machineStore),
      failuresPerAddress: limitOrNone("token-fail-address", specs(e.ROTOR_LIMIT_TOKEN_FAILURES_PER_ADDRESS), machineStore),
      requestsPerClient: limitOrNone("token-ok-client", specs(e.ROTOR_LIMIT_TOKEN_REQUESTS_PER_CLIENT), machineStore),
      log,
    }),
    signInPerEmail: limitOrNone("signin-email", specs(e.ROTOR_LIMIT_SIGN_IN_PER_EMAIL), shared),
    signInPerAddress: limitOrNone("signin-address", specs(e.ROTOR_LIMIT_SIGN_IN_PER_ADDRESS), shared),
    apiPerToken: limitOrNone("api-token", specs(e.ROTOR_LIMIT_API_PER_TOKEN), machineStore),
  };
}
export type RateLimits = ReturnType<typeof buildRateLimits>;

export function getRateLimits(): Promise<RateLimits> {
  const holder = globalThis as Holder;
  holder[key] ??= getDatabaseHandle()
    .then((handle) => buildRateLimits(env(), handle))
    .catch((error: unknown) => {
      delete holder[key];
      throw error;
    });
  return holder[key];
}

export { Limit };
