"use server";

import type { ActionState } from "@/lib/action-state";
import { fromZodError, submitted } from "@/lib/action-state";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { getDb } from "@/lib/data/database";
import { env } from "@/lib/env";
import { assertionCheckInput, checkAssertion } from "@/lib/oauth/assertion-checker";

export async function checkAssertionAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, ["assertion", "assertionType"]);
  const parsed = assertionCheckInput.safeParse({
    assertion: form.get("assertion") ?? "",
    assertionType: form.get("assertionType") || undefined,
  });
  if (!parsed.success) return fromZodError(parsed.error, values);
  const { organisation } = await requireOrganisationAccess(org, "api.view");
  const verdict = await checkAssertion(await getDb(), organisation, parsed.data, { issuer: env().ROTOR_PUBLIC_URL, now: new Date() });
  return verdict.ok
    ? { status: "success", message: `Accepted for client ${verdict.clientId} with key ${verdict.keyKid}. ${verdict.message}`, values }
    : { status: "error", message: `${verdict.error}: ${verdict.description}`, values };
}
