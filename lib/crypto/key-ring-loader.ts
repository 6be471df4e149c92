import { readOrCreateDevSecret } from "@/lib/dev-secrets";
import type { Env } from "@/lib/env";
import { type KeyRing, parseKeyRing } from "./encryption";

let cached: KeyRing | undefined;

/** The deployment's key ring; outside production a development key is kept in the data folder. */
export function loadKeyRing(env: Env): KeyRing {
  cached ??= parseKeyRing(env.ROTOR_ENCRYPTION_KEYS ?? `dev:${readOrCreateDevSecret(env.dataDir, "encryption-key")}`);
  return cached;
}
