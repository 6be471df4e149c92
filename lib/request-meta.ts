import { env } from "@/lib/env";
import { requestClientAddress } from "@/lib/http/client-address";

/** Where a request came from, for the audit trail: its client address (never a request header the caller chose) and user agent. */
export function clientAddress(headers: { get(name: string): string | null }): { ip: string | null; userAgent: string | null } {
  return {
    ip: requestClientAddress(headers, env().ROTOR_CLIENT_ADDRESS_HEADER),
    userAgent: headers.get("user-agent")?.slice(0, 400) ?? null,
  };
}
