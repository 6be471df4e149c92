import type { DatabaseHandle } from "@/db/client";
import { getDatabaseHandle } from "@/lib/data/database";
import { isKnownClientAddress } from "@/lib/data/usage";
import { type Env, env } from "@/lib/env";
import { logLine } from "@/lib/log/logger";
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

export function buildRateLimits(e: Env, handle: DatabaseHandle, log: (line: string) => void = logLine("error")) {
  const memory: LimitStore = { kind: "memory" };
  const shared: LimitStore = { kind: "postgres", handle };
  const sharedFailures = e.ROTOR_RATE_LIMIT_STORE === "postgres";
  const perClient = specs(e.ROTOR_LIMIT_TOKEN_FAILURES_PER_CLIENT);
  const perAddress = specs(e.ROTOR_LIMIT_TOKEN_FAILURES_PER_ADDRESS);
  return {
    clientAuth: createClientAuthGuard({
      attemptsPerClient: limitOrNone("token-fail-client", perClient, memory),
      attemptsPerAddress: limitOrNone("token-fail-address", perAddress, memory),
      sharedFailuresPerClient: sharedFailures ? limitOrNone("token-fail-client", perClient, shared) : null,
      sharedFailuresPerAddress: sharedFailures ? limitOrNone("token-fail-address", perAddress, shared) : null,
      requestsPerClient: limitOrNone("token-ok-client", specs(e.ROTOR_LIMIT_TOKEN_REQUESTS_PER_CLIENT), sharedFailures ? shared : memory),
      knownAddress: (clientId, address) => isKnownClientAddress(handle.db, clientId, address, new Date(Date.now() - KNOWN_FOR_MS)),
      log,
    }),
    signInPerEmail: limitOrNone("signin-email", specs(e.ROTOR_LIMIT_SIGN_IN_PER_EMAIL), shared),
    signInPerEmailTotal: limitOrNone("signin-email-total", specs(e.ROTOR_LIMIT_SIGN_IN_PER_EMAIL_TOTAL), shared),
    signInPerAddress: limitOrNone("signin-address", specs(e.ROTOR_LIMIT_SIGN_IN_PER_ADDRESS), shared),
    apiPerToken: limitOrNone("api-token", specs(e.ROTOR_LIMIT_API_PER_TOKEN), sharedFailures ? shared : memory),
  };
}

/** An address a client authenticated from within this long is its own (lib/rate-limit/client-auth-guard.ts). */
export const KNOWN_FOR_MS = 86_400_000;

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
