import { headers } from "next/headers";
import type { CredentialContext } from "@/lib/credentials/context";
import { loadKeyRing } from "@/lib/crypto/key-ring-loader";
import { getDb } from "@/lib/data/database";
import { env } from "@/lib/env";
import type { OrganisationAccess } from "./caller";

/** The context a signed-in person's server action hands to a credential use case. */
export async function credentialContextFor(access: OrganisationAccess): Promise<CredentialContext> {
  const h = await headers();
  return {
    db: await getDb(),
    organisation: access.organisation,
    role: access.role,
    actor: {
      type: "user",
      userId: access.caller.userId,
      label: access.caller.email ?? access.caller.userId,
      ip: h.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null,
      userAgent: h.get("user-agent"),
    },
    now: new Date(),
    keyRing: loadKeyRing(env()),
  };
}
