import type { ClientAuthGuard } from "@/lib/oauth/client-authentication";
import type { Limit } from "./limit";

/**
 * The token and introspection endpoints' limits (docs/security.md, "Rate limits"): failed client
 * authentications per claimed client_id and per client address, each blocked for its window once
 * over; successful requests per client only where the deployment asks for it. A flood of wrong
 * secrets is then answered from memory with a 429, before any look-up or digest, so it does not
 * take the database or the event loop from other clients.
 *
 * A client_id is no secret, so a flood aimed at one could lock its owner out. An address that has
 * authenticated as that client within the last hour is therefore exempt from the client's block
 * (never from its own address limit): the integrator's servers keep working while an attacker
 * elsewhere is refused.
 */
export function createClientAuthGuard(limits: {
  failuresPerClient: Limit | null;
  failuresPerAddress: Limit | null;
  requestsPerClient: Limit | null;
  log: (line: string) => void;
  now?: () => number;
}): ClientAuthGuard {
  const { failuresPerClient, failuresPerAddress, requestsPerClient, log } = limits;
  const known = new KnownGoodAddresses(limits.now ?? (() => Date.now()));
  return {
    async retryAfterMs(clientId, address) {
      const [byClient, byAddress] = await Promise.all([
        clientId && failuresPerClient && !(address && known.has(clientId, address)) ? failuresPerClient.retryAfterMs(clientId) : 0,
        address && failuresPerAddress ? failuresPerAddress.retryAfterMs(address) : 0,
      ]);
      return Math.max(byClient, byAddress);
    },
    async failed(clientId, address) {
      // Counting must never turn a 401 into a 5xx: a store that fails is logged and let be.
      await Promise.all([clientId && failuresPerClient?.hit(clientId), address && failuresPerAddress?.hit(address)]).catch(
        (error: unknown) => log(`rate limit: could not count a failure (${error instanceof Error ? error.name : "error"})`),
      );
    },
    async succeeded(clientId, address) {
      if (address) known.add(clientId, address);
      if (!requestsPerClient) return 0;
      return requestsPerClient.hit(clientId).catch((error: unknown) => {
        log(`rate limit: could not count a request (${error instanceof Error ? error.name : "error"})`);
        return 0;
      });
    },
  };
}

/**
 * (client, address) pairs that authenticated within the last hour, in this process's memory,
 * bounded: the oldest are forgotten first once it is full.
 */
class KnownGoodAddresses {
  private readonly entries = new Map<string, number>();
  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 3_600_000,
    private readonly max = 50_000,
  ) {}

  add(clientId: string, address: string): void {
    const key = `${clientId} ${address}`;
    this.entries.delete(key);
    this.entries.set(key, this.now() + this.ttlMs);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  has(clientId: string, address: string): boolean {
    const until = this.entries.get(`${clientId} ${address}`);
    return until !== undefined && until > this.now();
  }
}
