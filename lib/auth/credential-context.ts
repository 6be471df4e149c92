import type { CredentialContext } from "@/lib/context";
import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { getDb } from "@/lib/data/database";
import { env } from "@/lib/env";
import { actorFor } from "./actor";
import type { OrganisationAccess } from "./caller";

/** The context a signed-in person's server action hands to a credential use case. */
export async function credentialContextFor(access: OrganisationAccess): Promise<CredentialContext> {
  return {
    db: await getDb(),
    organisation: access.organisation,
    role: access.role,
    isOperator: access.caller.isOperator,
    actor: await actorFor(access.caller),
    clock: () => new Date(),
    keyRing: loadKeyRing(env()),
  };
}
