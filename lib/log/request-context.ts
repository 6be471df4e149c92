import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/**
 * Every request gets an id (docs/observability.md, "The request id"): the caller's `X-Request-Id`
 * when it is a short token of safe characters (a load balancer's or the client's own, so a line in
 * their logs finds ours), otherwise a fresh UUID. Anything else the caller sent is dropped, never
 * echoed: it would go into our logs and back out in a header.
 */
export const REQUEST_ID_HEADER = "x-request-id";
const ACCEPTED = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestIdFrom(given: string | string[] | null | undefined): string {
  return typeof given === "string" && ACCEPTED.test(given) ? given : randomUUID();
}

/**
 * Carried through the request's asynchronous work, so a line logged anywhere below carries it.
 * Kept on globalThis: the self-hosted server's module graph and Next's bundle each load this
 * module, and a request the former starts is finished by code from the latter.
 */
const key = Symbol.for("rotor.request-context");
type Holder = { [key]?: AsyncLocalStorage<string> };
const storage = () => {
  const holder = globalThis as Holder;
  holder[key] ??= new AsyncLocalStorage<string>();
  return holder[key];
};

export function withRequestId<T>(requestId: string, work: () => T): T {
  return storage().run(requestId, work);
}

export function currentRequestId(): string | undefined {
  return storage().getStore();
}
