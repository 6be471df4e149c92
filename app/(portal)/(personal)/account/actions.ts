"use server";

import { revalidatePath } from "next/cache";
import { type ActionState, fromError, fromZodError, submitted } from "@/lib/action-state";
import { createApiToken, revokeApiToken } from "@/lib/api-tokens/api-tokens";
import { createApiTokenInput, revokeApiTokenInput } from "@/lib/api-tokens/schemas";
import { actorFor } from "@/lib/auth/actor";
import { requireCaller } from "@/lib/auth/caller";
import { getDb } from "@/lib/data/database";

async function requester() {
  const caller = await requireCaller();
  return { ...(await actorFor(caller)), userId: caller.userId };
}

export async function createApiTokenAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, ["name", "organisation", "scope", "expiresInDays"]);
  const parsed = createApiTokenInput.safeParse({
    organisation: form.get("organisation"),
    name: form.get("name"),
    scope: form.get("scope"),
    expiresInDays: form.get("expiresInDays"),
  });
  if (!parsed.success) return fromZodError(parsed.error, values);
  const who = await requester();
  try {
    const token = await createApiToken(await getDb(), who, parsed.data, new Date());
    revalidatePath("/account");
    return { status: "success", message: "Token created. Copy it now: it will not be shown again.", value: token.value };
  } catch (error) {
    return fromError(error, values);
  }
}

export async function revokeApiTokenAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const parsed = revokeApiTokenInput.safeParse({ tokenId: form.get("tokenId") });
  if (!parsed.success) return fromZodError(parsed.error);
  const who = await requester();
  try {
    await revokeApiToken(await getDb(), who, parsed.data.tokenId, new Date());
  } catch (error) {
    return fromError(error);
  }
  revalidatePath("/account");
  return { status: "success", message: "Token revoked. Calls made with it are refused from now on." };
}
