import { promises as dns, lookup as dnsLookup, type LookupAddress } from "node:dns";
import ipaddr from "ipaddr.js";
import { Agent, request } from "undici";

/*
 * Requests Rotor makes to addresses its users give it (a client's JWKS URL; later, webhooks). Such
 * an address can point at the deployment's own network (server-side request forgery): the cloud
 * metadata endpoint, a database's admin port, localhost. In production every address a request
 * connects to must be a public unicast one, checked on the address the name resolved to (so a name
 * that resolves to 10.0.0.1 is refused, and so is one that changes its answer between a check and
 * the connection: the check runs inside the connection's own look-up) and again on every redirect.
 * Sizes and times are bounded so a slow or endless answer cannot hold a request of ours.
 * docs/security.md, "Outbound requests".
 */

export interface OutboundLimits {
  /** Outside production only: a test JWKS server on localhost. */
  allowPrivateAddresses: boolean;
  /** Outside production only: a plain-http test server. */
  allowHttp: boolean;
  /** For the whole exchange, redirects included. */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export const DEFAULT_OUTBOUND_LIMITS: Omit<OutboundLimits, "allowPrivateAddresses" | "allowHttp"> = {
  timeoutMs: 5_000,
  maxBytes: 64 * 1024,
  maxRedirects: 3,
};

export interface OutboundResponse {
  /** The address that answered, after redirects. */
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Refused before or while connecting, or an answer out of bounds: the reason is safe to show to the URL's owner. */
export class OutboundError extends Error {
  override name = "OutboundError";
}

/** Only public unicast addresses: not private, loopback, link-local, unique-local, carrier-grade NAT, multicast or reserved. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is.
  return ipaddr.process(address).range() === "unicast";
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The connection's own DNS look-up, refusing any answer that is not public (see above). */
function guardedLookup(hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) return callback(new OutboundError(`${hostname} resolves to ${refused.address}, which is not a public address.`), []);
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    if (!first) return callback(new OutboundError(`${hostname} has no address.`), []);
    callback(null, first.address, first.family);
  });
}

const publicOnly = new Agent({ connect: { lookup: guardedLookup as never } });
const anyAddress = new Agent();

/** Checks one address before connecting: scheme, no credentials, and an IP literal's range (a literal skips the look-up). */
export function checkOutboundUrl(raw: string, limits: Pick<OutboundLimits, "allowPrivateAddresses" | "allowHttp">): URL {
  if (!URL.canParse(raw)) throw new OutboundError("This is not a URL.");
  const url = new URL(raw);
  if (url.protocol !== "https:" && !(limits.allowHttp && url.protocol === "http:")) throw new OutboundError("Use an https:// URL.");
  if (url.username || url.password) throw new OutboundError("The URL must not carry a user name or password.");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!limits.allowPrivateAddresses && ipaddr.isValid(host) && !isPublicAddress(host)) {
    throw new OutboundError(`${host} is not a public address.`);
  }
  return url;
}

/** A name's addresses, as the connection's own look-up would find them. */
export type ResolveAll = (hostname: string) => Promise<{ address: string }[]>;
const resolveAll: ResolveAll = (hostname) => dns.lookup(hostname, { all: true });

/**
 * Before an address is written down (a client's JWKS URL): checkOutboundUrl, and, where private
 * addresses are refused, the addresses the name resolves to now, so a URL on a name that points
 * into the deployment's own network (localhost, an internal name) is refused when it is given, not
 * only on every fetch (which checks again: a name may change its answer later). A name that does
 * not resolve yet is taken; fetching it will say so.
 */
export async function checkOutboundTarget(
  raw: string,
  limits: Pick<OutboundLimits, "allowPrivateAddresses" | "allowHttp">,
  resolve: ResolveAll = resolveAll,
): Promise<URL> {
  const url = checkOutboundUrl(raw, limits);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (limits.allowPrivateAddresses || ipaddr.isValid(host)) return url;
  const addresses = await resolve(host).catch(() => []);
  const refused = addresses.find((a) => !isPublicAddress(a.address));
  if (refused) throw new OutboundError(`${host} resolves to ${refused.address}, which is not a public address.`);
  return url;
}

/** GET `raw` within `limits`, following at most `maxRedirects` redirects, each checked like the first. */
export async function outboundGet(raw: string, limits: OutboundLimits, headers: Record<string, string> = {}): Promise<OutboundResponse> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let url = checkOutboundUrl(raw, limits);
  for (let hop = 0; ; hop++) {
    let answer: Awaited<ReturnType<typeof request>>;
    try {
      answer = await request(url, {
        method: "GET",
        headers: { "accept-encoding": "identity", "user-agent": "Rotor", ...headers },
        dispatcher: limits.allowPrivateAddresses ? anyAddress : publicOnly,
        signal,
      });
    } catch (error) {
      throw explain(error, limits);
    }
    const location = answer.headers.location;
    if (answer.statusCode >= 300 && answer.statusCode < 400 && typeof location === "string") {
      await answer.body.dump();
      if (hop >= limits.maxRedirects) throw new OutboundError(`More than ${limits.maxRedirects} redirects.`);
      url = checkOutboundUrl(new URL(location, url).toString(), limits);
      continue;
    }
    const body = await readBounded(answer.body, limits.maxBytes, limits).catch((error: unknown) => {
      throw explain(error, limits);
    });
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    return { url: url.toString(), status: answer.statusCode, headers: flat, body };
  }
}

export interface OutboundPostResult {
  status: number;
  /** The start of the answer, at most maxBytes (a receiver's error page, shown to its owner). */
  body: string;
}

/**
 * POST `body` to `raw` within `limits` (a webhook delivery). A redirect is not followed: the
 * receiver answered, but not with success, and the event is signed for the address it was sent to.
 * The answer is read up to maxBytes and the rest dropped, so a huge answer costs nothing.
 */
export async function outboundPost(
  raw: string,
  body: string,
  limits: OutboundLimits,
  headers: Record<string, string> = {},
): Promise<OutboundPostResult> {
  const url = checkOutboundUrl(raw, limits);
  try {
    const answer = await request(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Rotor-Webhooks", ...headers },
      body,
      dispatcher: limits.allowPrivateAddresses ? anyAddress : publicOnly,
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
    return { status: answer.statusCode, body: await readPrefix(answer.body, limits.maxBytes) };
  } catch (error) {
    throw explain(error, limits);
  }
}

/** The first maxBytes of an answer; the rest is not read. */
async function readPrefix(body: AsyncIterable<Uint8Array> & { destroy?: () => unknown }, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size >= maxBytes) break;
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString("utf8");
}

async function readBounded(body: AsyncIterable<Uint8Array>, maxBytes: number, limits: OutboundLimits): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new OutboundError(`The answer is larger than ${Math.round(limits.maxBytes / 1024)} KiB.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function explain(error: unknown, limits: OutboundLimits): OutboundError {
  if (error instanceof OutboundError) return error;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof OutboundError) return cause;
  const name = (error as { name?: string }).name;
  if (name === "TimeoutError" || name === "AbortError") return new OutboundError(`No complete answer within ${limits.timeoutMs / 1000} s.`);
  const code = (error as { code?: string }).code;
  if (code === "ENOTFOUND") return new OutboundError("The host name does not resolve.");
  if (code === "ECONNREFUSED") return new OutboundError("The connection was refused.");
  if (code?.startsWith("ERR_TLS") || code?.includes("CERT")) return new OutboundError("The TLS certificate could not be verified.");
  return new OutboundError(`The request failed (${code ?? name ?? "unknown error"}).`);
}
