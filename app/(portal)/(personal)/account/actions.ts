"use server";

import { type ActionState, submitted } from "@/lib/action-state";
import { signedInAction } from "@/lib/actions/caller-actions";
import { validate } from "@/lib/actions/form-action";
import { createApiToken, revokeApiToken } from "@/lib/api-tokens/api-tokens";
import { createApiTokenInput, revokeApiTokenInput } from "@/lib/api-tokens/schemas";
import { actorFor } from "@/lib/auth/actor";
import type { Caller } from "@/lib/auth/caller";
import { getDb } from "@/lib/data/database";

/* One's own API tokens: anyone signed in; the use case checks the organisation a token is for. */

const requester = async (caller: Caller) => ({ ...(await actorFor(caller)), userId: caller.userId });

export async function createApiTokenAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, ["name", "organisation", "scope", "expiresInDays"]);
  return signedInAction({
    values,
    parse: () =>
      validate(
        createApiTokenInput,
        {
          organisation: form.get("organisation"),
          name: form.get("name"),
          scope: form.get("scope"),
          expiresInDays: form.get("expiresInDays"),
        },
        values,
      ),
    run: async (caller, input) => {
      const token = await createApiToken(await getDb(), await requester(caller), input, new Date());
      return { message: "Token created. Copy it now: it will not be shown again.", value: token.value };
    },
    revalidate: "/account",
  });
}

export async function revokeApiTokenAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return signedInAction({
    parse: () => validate(revokeApiTokenInput, { tokenId: form.get("tokenId") }),
    run: async (caller, input) => {
      await revokeApiToken(await getDb(), await requester(caller), input.tokenId, new Date());
      return "Token revoked. Calls made with it are refused from now on.";
    },
    revalidate: "/account",
  });
}
