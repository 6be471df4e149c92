"use server";

import { z } from "zod";
import type { ActionState } from "@/lib/action-state";
import { fromZodError, submitted } from "@/lib/action-state";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { getDb } from "@/lib/data/database";
import { env } from "@/lib/env";
import { checkAssertion } from "@/lib/oauth/assertion-checker";

const input = z.object({
  assertion: z
    .string()
    .trim()
    .min(1, { error: "Paste a client_assertion (a signed JWT)." })
    .max(20_000, { error: "That is far too long for an assertion." }),
  assertionType: z.string().trim().max(200).optional(),
});

export async function checkAssertionAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, ["assertion", "assertionType"]);
  const parsed = input.safeParse({ assertion: form.get("assertion") ?? "", assertionType: form.get("assertionType") || undefined });
  if (!parsed.success) return fromZodError(parsed.error, values);
  const { organisation } = await requireOrganisationAccess(org, "api.view");
  const verdict = await checkAssertion(await getDb(), organisation, parsed.data, { issuer: env().ROTOR_PUBLIC_URL, now: new Date() });
  return verdict.ok
    ? { status: "success", message: `Accepted for client ${verdict.clientId} with key ${verdict.keyKid}. ${verdict.message}`, values }
    : { status: "error", message: `${verdict.error}: ${verdict.description}`, values };
}
