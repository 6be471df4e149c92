import { DomainError } from "@/lib/errors";
import { checkOutboundTarget, OutboundError } from "@/lib/http/outbound";
import type { WebhookContext } from "./webhook-context";

/**
 * An endpoint's address, checked when it is given (docs/security.md, "Outbound requests"): https,
 * and in production a public address, the name resolved now (every delivery checks again, after
 * its own look-up: a name may change its answer).
 */
export async function checkEndpointAddress(ctx: WebhookContext, url: string): Promise<string> {
  try {
    return (await checkOutboundTarget(url, ctx.limits)).toString();
  } catch (error) {
    if (error instanceof OutboundError) throw new DomainError("invalid", `Rotor cannot send to this address: ${error.message}`, "url");
    throw error;
  }
}
