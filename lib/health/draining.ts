/**
 * Whether this process is shutting down (lib/http/graceful-shutdown.ts): from the signal on,
 * /readyz answers 503 so a load balancer moves traffic away while requests are still served. Kept
 * on globalThis because the self-hosted server and Next's bundle load this module separately
 * and must see one flag (as lib/oauth/runtime.ts does for the machine).
 */
const key = Symbol.for("rotor.draining");
type Holder = { [key]?: boolean };

export function markDraining(): void {
  (globalThis as Holder)[key] = true;
}

export function isDraining(): boolean {
  return (globalThis as Holder)[key] === true;
}
