import { BlockList, isIP } from "node:net";
import { parseCidr } from "@/lib/env";

/**
 * Where a request came from, for the audit trail and for rate limits. The socket's address is the
 * truth; X-Forwarded-For is believed only when the socket belongs to a proxy listed in
 * ROTOR_TRUSTED_PROXIES, and then only as far back as the chain of trusted proxies goes: walking
 * from the right, the first address that is not a trusted proxy is the client (anything left of it
 * was written by the client itself). docs/security.md, "Client addresses".
 */

export function trustedProxies(spec: string | undefined): BlockList {
  const list = new BlockList();
  for (const entry of (spec ?? "").split(",").filter((x) => x.trim() !== "")) {
    const cidr = parseCidr(entry);
    if (cidr) list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return list;
}

/**
 * An address as a proxy may write it: "203.0.113.5", "203.0.113.5:4711", "[2001:db8::1]:443",
 * "2001:db8::1"; "::ffff:10.1.2.3" (an IPv4 client on a dual-stack socket) is 10.1.2.3. Anything
 * else ("unknown", an obfuscated identifier) is null.
 */
export function normaliseAddress(address: string | undefined | null): string | null {
  if (!address) return null;
  let plain = address.trim();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/i.exec(plain);
  if (bracketed?.[1]) plain = bracketed[1];
  else if (/^\d+\.\d+\.\d+\.\d+:\d{1,5}$/.test(plain)) plain = plain.slice(0, plain.lastIndexOf(":"));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  plain = mapped?.[1] ?? plain;
  return isIP(plain) === 0 ? null : plain;
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  proxies: BlockList,
): string | null {
  const socket = normaliseAddress(socketAddress);
  if (socket === null || !isTrusted(proxies, socket)) return socket;
  if (forwardedFor === undefined || forwardedFor.trim() === "") return socket;
  const hops = forwardedFor.split(",").map((x) => normaliseAddress(x));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    // A hop no one can read stops the walk: what lies left of it was not vouched for by a proxy
    // we trust, so the client is unknown rather than whatever the caller wrote there.
    if (hop === null || hop === undefined) return null;
    if (!isTrusted(proxies, hop)) return hop;
  }
  // Every hop is a trusted proxy: the request started inside the trusted network.
  return hops[0] ?? socket;
}

/**
 * The self-hosted server (scripts/server.ts) works out each request's address from its socket and
 * hands it on in this header, after removing any copy the caller sent. Code behind that server
 * reads it only when the server says it is in front (the marker below, set in the same process).
 */
export const CLIENT_ADDRESS_HEADER = "x-rotor-client-address";
const marker = Symbol.for("rotor.clientAddressStamped");

export function markClientAddressesStamped(): void {
  (globalThis as { [marker]?: boolean })[marker] = true;
}

export function clientAddressesStamped(): boolean {
  return (globalThis as { [marker]?: boolean })[marker] === true;
}

/**
 * The client's address as the rest of Rotor sees it: stamped by our own server, or read from a
 * header the hosting platform sets itself (ROTOR_CLIENT_ADDRESS_HEADER), or unknown (null): plain
 * `next start` cannot see the socket, so it believes no request header at all.
 */
export function requestClientAddress(headers: { get(name: string): string | null }, platformHeader: string | undefined): string | null {
  if (clientAddressesStamped()) return normaliseAddress(headers.get(CLIENT_ADDRESS_HEADER));
  if (platformHeader) return normaliseAddress(headers.get(platformHeader)?.split(",")[0]);
  return null;
}
