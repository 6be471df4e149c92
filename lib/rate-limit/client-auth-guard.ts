import { isIP } from "node:net";
import { countRateLimitRefusal } from "@/lib/metrics/record";
import type { ClientAuthGuard } from "@/lib/oauth/client-authentication";
import type { Limit } from "./limit";

/**
 * The token and introspection endpoints' limits (docs/security.md, "Rate limits"): failed client
 * authentications per claimed client_id and per client address.
 *
 * - Each attempt takes its place in the count before any work (an atomic increment in this
 *   process's memory) and gives it back if it succeeds, so a burst of concurrent wrong secrets
 *   cannot all pass a check made before any of them failed. Over the limit, an attempt is refused
 *   at once, from memory, before any look-up or digest.
 * - Where a shared store is configured, failures are also counted there, so every instance learns of
 *   a flood; an instance answers a key over the shared limit from memory too.
 * - A client_id is no secret, so a flood aimed at one could lock its owner out. An address the
 *   client authenticated from within the last day (its own systems; remembered in Postgres by the
 *   usage recorder, and in this process) is exempt from the client's limit, never from its own.
 * - IPv6 addresses are counted by /64: one host usually has a whole /64.
 */

export interface ClientAuthGuardOptions {
  attemptsPerClient: Limit | null;
  attemptsPerAddress: Limit | null;
  sharedFailuresPerClient: Limit | null;
  sharedFailuresPerAddress: Limit | null;
  requestsPerClient: Limit | null;
  /** Whether the client authenticated from this address recently (a database look-up; cached here). */
  knownAddress: (clientId: string, address: string) => Promise<boolean>;
  log: (line: string) => void;
  now?: () => number;
}

/** IPv6 by its /64, IPv4 as it is. */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head, tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

export function createClientAuthGuard(options: ClientAuthGuardOptions): ClientAuthGuard {
  const { attemptsPerClient, attemptsPerAddress, sharedFailuresPerClient, sharedFailuresPerAddress, requestsPerClient, log } = options;
  const known = new KnownAddresses(options.now ?? (() => Date.now()));
  const isKnown = async (clientId: string, address: string) => {
    const cached = known.get(clientId, address);
    if (cached !== undefined) return cached;
    const found = await options.knownAddress(clientId, address).catch(() => false);
    known.set(clientId, address, found);
    return found;
  };
  /** Which places an attempt takes: its address's, and its client's unless the address is known for it. */
  const keysOf = async (clientId: string | null, address: string | null) => ({
    address: address ? addressKey(address) : null,
    client: clientId && !(address && (await isKnown(clientId, address))) ? clientId : null,
  });
  const giveBack = async (keys: { address: string | null; client: string | null }) => {
    await Promise.all([
      keys.address && attemptsPerAddress?.giveBack(keys.address),
      keys.client && attemptsPerClient?.giveBack(keys.client),
    ]);
  };
  const report = (what: string) => (error: unknown) =>
    log(`rate limit: could not ${what} (${error instanceof Error ? error.name : "error"})`);

  return {
    async begin(clientId, address) {
      const keys = await keysOf(clientId, address);
      const [byAddress, byClient, sharedAddress, sharedClient] = await Promise.all([
        keys.address && attemptsPerAddress ? attemptsPerAddress.take(keys.address) : 0,
        keys.client && attemptsPerClient ? attemptsPerClient.take(keys.client) : 0,
        keys.address && sharedFailuresPerAddress ? sharedFailuresPerAddress.retryAfterMs(keys.address) : 0,
        keys.client && sharedFailuresPerClient ? sharedFailuresPerClient.retryAfterMs(keys.client) : 0,
      ]);
      const wait = Math.max(byAddress, byClient, sharedAddress, sharedClient);
      // A refused attempt is not work done: it gives its places back, so refusals do not extend a block.
      if (wait > 0) {
        await giveBack(keys).catch(report("give back a place"));
        countRateLimitRefusal(
          Math.max(byAddress, sharedAddress) >= Math.max(byClient, sharedClient)
            ? "token_failures_per_address"
            : "token_failures_per_client",
        );
      }
      return wait;
    },
    async failed(clientId, address) {
      // The attempt keeps its places in memory; the shared store learns of the failure. Counting
      // must never turn a 401 into a 5xx: a store that fails is logged and let be.
      const keys = await keysOf(clientId, address);
      await Promise.all([
        keys.client && sharedFailuresPerClient?.hit(keys.client),
        keys.address && sharedFailuresPerAddress?.hit(keys.address),
      ]).catch(report("count a failure"));
    },
    async released(clientId, address) {
      await giveBack(await keysOf(clientId, address)).catch(report("give back a place"));
    },
    async succeeded(clientId, address, claimed) {
      await giveBack(await keysOf(claimed, address)).catch(report("give back a place"));
      // The token endpoint records the address in the database too (lib/oauth/usage.ts).
      if (address) known.set(clientId, address, true);
      if (!requestsPerClient) return 0;
      const wait = await requestsPerClient.hit(clientId).catch((error: unknown) => {
        report("count a request")(error);
        return 0;
      });
      if (wait > 0) countRateLimitRefusal("token_requests_per_client");
      return wait;
    },
  };
}

/**
 * This process's memory of (client, address) pairs: known good for a day once seen, and a database
 * answer (either way) for a minute, bounded: the oldest are forgotten first once it is full.
 */
class KnownAddresses {
  private readonly entries = new Map<string, { known: boolean; until: number }>();
  constructor(
    private readonly now: () => number,
    private readonly max = 50_000,
  ) {}

  get(clientId: string, address: string): boolean | undefined {
    const entry = this.entries.get(`${clientId} ${address}`);
    return entry && entry.until > this.now() ? entry.known : undefined;
  }

  set(clientId: string, address: string, known: boolean): void {
    const key = `${clientId} ${address}`;
    this.entries.delete(key);
    this.entries.set(key, { known, until: this.now() + (known ? 86_400_000 : 60_000) });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}
