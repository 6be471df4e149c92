import { authorize, type CredentialContext } from "@/lib/context";
import { listClients as listClientRows } from "@/lib/data/client-credentials";

/** The organisation's clients (seed 001's Secret-Read starts here): for those who may see the API tab. */
export async function listClients(ctx: CredentialContext) {
  authorize(ctx, "api.view");
  return listClientRows(ctx.db, ctx.organisation);
}
