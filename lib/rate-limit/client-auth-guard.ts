import type { ClientAuthGuard } from "@/lib/oauth/client-authentication";
import type { Limit } from "./limit";

/**
 * The token and introspection endpoints' limits (docs/security.md, "Rate limits"): failed client
 * authentications per claimed client_id and per client address, each blocked for its window once
 * over; successful requests per client only where the deployment asks for it. A flood of wrong
 * secrets is then answered from memory with a 429, before any look-up or digest, so it does not
 * take the database or the event loop from other clients.
 */
export function createClientAuthGuard(limits: {
  failuresPerClient: Limit | null;
  failuresPerAddress: Limit | null;
  requestsPerClient: Limit | null;
  log: (line: string) => void;
}): ClientAuthGuard {
  const { failuresPerClient, failuresPerAddress, requestsPerClient, log } = limits;
  return {
    async retryAfterMs(clientId, address) {
      const [byClient, byAddress] = await Promise.all([
        clientId && failuresPerClient ? failuresPerClient.retryAfterMs(clientId) : 0,
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
    async succeeded(clientId) {
      if (!requestsPerClient) return 0;
      return requestsPerClient.hit(clientId).catch((error: unknown) => {
        log(`rate limit: could not count a request (${error instanceof Error ? error.name : "error"})`);
        return 0;
      });
    },
  };
}
