import { authorize, type CredentialContext } from "@/lib/context";
import { getClientCredentials } from "@/lib/data/client-credentials";
import { DomainError } from "@/lib/errors";

/** One client's secrets and keys, masked, with their states: for those who may see the API tab. */
export async function readClientCredentials(ctx: CredentialContext, clientId: string) {
  authorize(ctx, "api.view");
  const found = await getClientCredentials(ctx.db, ctx.organisation, clientId, ctx.clock());
  if (!found) throw new DomainError("not_found", `There is no client ${clientId} in your organisation.`, "clientId");
  return found;
}
