"use server";

import { type ActionState, submitted } from "@/lib/action-state";
import { organisationAction } from "@/lib/actions/caller-actions";
import { validate } from "@/lib/actions/form-action";
import { getDb } from "@/lib/data/database";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { assertionCheckInput, checkAssertion } from "@/lib/oauth/assertion-checker";
import { getMachine } from "@/lib/oauth/runtime";

/** Checks a client assertion the way the token endpoint would, for anyone who may see the API tab. Changes nothing. */
export async function checkAssertionAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, ["assertion", "assertionType"]);
  return organisationAction(org, "api.view", {
    values,
    parse: () =>
      validate(
        assertionCheckInput,
        { assertion: form.get("assertion") ?? "", assertionType: form.get("assertionType") || undefined },
        values,
      ),
    run: async ({ organisation }, input) => {
      const verdict = await checkAssertion(await getDb(), organisation, input, {
        issuer: env().ROTOR_PUBLIC_URL,
        now: new Date(),
        // The token endpoint's own source of published keys, so a JWKS URL client is checked as it is served.
        jwks: (await getMachine()).jwks,
      });
      // A refused assertion is the answer the form shows, with the assertion kept for another try.
      if (!verdict.ok) throw new DomainError("invalid", `${verdict.error}: ${verdict.description}`);
      return { message: `Accepted for client ${verdict.clientId} with key ${verdict.keyKid}. ${verdict.message}`, values };
    },
  });
}
