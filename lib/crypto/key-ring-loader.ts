import { readOrCreateDevSecret } from "@/lib/dev-secrets";
import type { Env } from "@/lib/env";
import { type KeyRing, KeyRingError, parseKeyRing } from "./encryption";

let cached: KeyRing | undefined;

/** The deployment's key ring; outside production a development key is kept in the data folder. */
export function loadKeyRing(env: Env): KeyRing {
  cached ??= env.ROTOR_ENCRYPTION_KEYS
    ? fromSetting(env.ROTOR_ENCRYPTION_KEYS)
    : parseKeyRing(`dev:${readOrCreateDevSecret(env.dataDir, "encryption-key")}`);
  return cached;
}

// lib/env.ts has checked the format already; named here too, so no path can report it anonymously.
function fromSetting(spec: string): KeyRing {
  try {
    return parseKeyRing(spec);
  } catch (error) {
    if (error instanceof KeyRingError) throw new KeyRingError(`ROTOR_ENCRYPTION_KEYS: ${error.message}`);
    throw error;
  }
}
