import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { getDb } from "@/lib/data/database";
import { env } from "@/lib/env";
import { requestClientAddress } from "@/lib/http/client-address";
import { outboundGet } from "@/lib/http/outbound";
import { getRateLimits } from "@/lib/rate-limit/runtime";
import { jwksFetchLimits } from "./jwks-fetch-limits";
import { createMachine, type Machine } from "./machine";

/**
 * The process's one machine (token endpoint and friends), built from the environment and the
 * shared database handle. Kept on globalThis so the Next.js bundle and the self-hosted server,
 * which load this module separately, share one usage recorder and one key cache.
 */
const key = Symbol.for("rotor.machine");
type Holder = { [key]?: Promise<Machine> };

export function getMachine(): Promise<Machine> {
  const holder = globalThis as Holder;
  holder[key] ??= (async () => {
    const e = env();
    return createMachine({
      db: await getDb(),
      keyRing: loadKeyRing(e),
      issuer: e.ROTOR_PUBLIC_URL,
      guard: (await getRateLimits()).clientAuth,
      addressOf: (request) => requestClientAddress(request.headers, e.ROTOR_CLIENT_ADDRESS_HEADER),
      jwksRefetchSeconds: e.ROTOR_JWKS_REFETCH_SECONDS,
      cacheSeconds: e.ROTOR_MACHINE_CACHE_SECONDS,
      fetchJwks: (url) => outboundGet(url, jwksFetchLimits(e), { accept: "application/jwk-set+json, application/json" }),
    });
  })().catch((error: unknown) => {
    delete holder[key];
    throw error;
  });
  return holder[key];
}
