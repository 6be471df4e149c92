import type { Database } from "@/db/client";
import { parsePublicKey } from "@/lib/crypto/public-key";
import { readJwksState, writeJwksState } from "@/lib/data/client-jwks";
import type { OutboundResponse } from "@/lib/http/outbound";
import { countJwksFetchFailure } from "@/lib/metrics/record";
import type { RegisteredKey } from "./client-assertion";
import { failed, fetched, type JwksState, readJwks, shouldFetch, usableKeys } from "./client-jwks";

/*
 * The keys a client publishes at its JWKS URL, for the token endpoint (lib/oauth/client-jwks.ts has
 * the rules). The state lives in the database, so every instance shares one fetch schedule and one
 * failure record; each instance also keeps it in memory for a few seconds, and fetches for one
 * client one at a time. Each published key passes the same policy as a pasted one
 * (lib/crypto/public-key.ts); one that fails it is left out, and the reason shown to the SPOC.
 */

/** Ids of keys from a JWKS URL start with this: they have no row of their own (lib/oauth/usage.ts skips them). */
export const JWKS_KEY_ID_PREFIX = "jwks:";
/** How long an instance trusts its memory of another instance's fetch. */
const MEMORY_MS = 5_000;

export interface JwksSource {
  keysFor(client: { id: string; jwksUri: string }, wantedKid: string | undefined, now: Date): Promise<RegisteredKey[]>;
}

export interface JwksSourceDeps {
  db: Database;
  fetch: (url: string) => Promise<OutboundResponse>;
  log: (line: string) => void;
  /** ROTOR_JWKS_REFETCH_SECONDS: at most one fetch per client in this long (lib/oauth/client-jwks.ts). */
  refetchIntervalSeconds?: number;
}

export function createJwksSource(deps: JwksSourceDeps): JwksSource {
  const memory = new Map<string, { uri: string; state: JwksState; readAt: number }>();
  const inFlight = new Map<string, Promise<JwksState>>();

  async function current(client: { id: string; jwksUri: string }, now: Date): Promise<JwksState> {
    const held = memory.get(client.id);
    if (held && held.uri === client.jwksUri && now.getTime() - held.readAt < MEMORY_MS) return held.state;
    const state = await readJwksState(deps.db, client.id, client.jwksUri);
    memory.set(client.id, { uri: client.jwksUri, state, readAt: now.getTime() });
    return state;
  }

  async function refresh(client: { id: string; jwksUri: string }, state: JwksState, now: Date): Promise<JwksState> {
    let next: JwksState;
    try {
      const answer = await deps.fetch(client.jwksUri);
      if (answer.status !== 200) throw new Error(`The JWKS URL answered HTTP ${answer.status}.`);
      const read = readJwks(answer.body);
      if ("error" in read) throw new Error(read.error);
      next = fetched(read.keys, answer.headers, now);
    } catch (error) {
      const reason = error instanceof Error ? error.message : "The fetch failed.";
      // The URL is the client's own and public to its SPOC; no secret is in it or in the reason.
      deps.log(`client jwks: fetch for client ${client.id} failed: ${reason}`);
      countJwksFetchFailure();
      next = failed(state, reason, now);
    }
    await writeJwksState(deps.db, client.id, client.jwksUri, next);
    memory.set(client.id, { uri: client.jwksUri, state: next, readAt: now.getTime() });
    return next;
  }

  return {
    async keysFor(client, wantedKid, now) {
      let state = await current(client, now);
      if (shouldFetch(state, now, wantedKid, deps.refetchIntervalSeconds)) {
        let pending = inFlight.get(client.id);
        if (!pending) {
          pending = refresh(client, state, now).finally(() => inFlight.delete(client.id));
          inFlight.set(client.id, pending);
        }
        state = await pending;
      }
      return toRegisteredKeys(usableKeys(state, now));
    },
  };
}

/** The published keys that pass the registered keys' policy, as the assertion verifier takes them. */
export async function toRegisteredKeys(jwks: Record<string, unknown>[]): Promise<RegisteredKey[]> {
  const keys: RegisteredKey[] = [];
  for (const jwk of jwks) {
    const { kid, use: _use, key_ops: _ops, x5c: _x5c, x5t: _x5t, "x5t#S256": _x5t256, x5u: _x5u, ...material } = jwk;
    try {
      const parsed = await parsePublicKey(JSON.stringify(material));
      const id = typeof kid === "string" && kid.length > 0 ? kid : parsed.thumbprint;
      keys.push({ id: `${JWKS_KEY_ID_PREFIX}${id}`, kid: id, alg: parsed.alg, keyType: parsed.type, jwk: parsed.jwk });
    } catch {
      // Left out: lib/data/client-jwks.ts's status shows the key, and the checker says why it is not used.
    }
  }
  return keys;
}
