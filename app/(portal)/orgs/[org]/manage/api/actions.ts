"use server";

import { revalidatePath } from "next/cache";
import { type ActionState, fromError, fromZodError, submitted } from "@/lib/action-state";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { credentialContextFor } from "@/lib/auth/credential-context";
import { registerPublicKey } from "@/lib/credentials/register-public-key";
import { revealSecret } from "@/lib/credentials/reveal-secret";
import { revokePublicKey } from "@/lib/credentials/revoke-public-key";
import { revokeSecret } from "@/lib/credentials/revoke-secret";
import { rotateSecret } from "@/lib/credentials/rotate-secret";
import {
  parseDayList,
  registerKeyInput,
  revealSecretInput,
  revokeKeyInput,
  revokeSecretInput,
  rotateSecretInput,
  rotationPolicyInput,
} from "@/lib/credentials/schemas";
import { updateRotationPolicy } from "@/lib/credentials/update-rotation-policy";

/*
 * Every action parses its input, authorizes the caller for this organisation itself (a forged
 * call from an admin meets forbidden() here, and the use case checks again), then calls one use
 * case. Secret values go back only in the response to the person who asked.
 */

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
};

export async function rotateSecretAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const parsed = rotateSecretInput.safeParse({ clientId: text(form, "clientId"), compromised: form.get("compromised") === "true" });
  if (!parsed.success) return fromZodError(parsed.error);
  const access = await requireOrganisationAccess(org, "credentials.rotate");
  if (parsed.data.compromised && text(form, "confirmation") !== parsed.data.clientId) {
    return {
      status: "error",
      message: "Type the client ID exactly to confirm.",
      fieldErrors: { confirmation: "Type the client ID exactly to confirm." },
    };
  }
  try {
    const result = await rotateSecret(await credentialContextFor(access), parsed.data);
    revalidatePath(`/orgs/${org}`, "layout");
    const showOnce = access.organisation.secretRevealPolicy === "show_once";
    return {
      status: "success",
      message: parsed.data.compromised
        ? "New secret issued and every older secret revoked. Systems using an old secret are refused from now on."
        : showOnce
          ? "New secret issued. Copy it now: under your organisation's show-once policy it will not be shown again."
          : "New secret issued. Both secrets are accepted until the old one expires.",
      value: result.secret.value,
    };
  } catch (error) {
    return fromError(error);
  }
}

export async function revokeSecretAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const parsed = revokeSecretInput.safeParse({ clientId: text(form, "clientId"), secretId: text(form, "secretId") });
  if (!parsed.success) return fromZodError(parsed.error);
  const access = await requireOrganisationAccess(org, "credentials.rotate");
  try {
    await revokeSecret(await credentialContextFor(access), parsed.data);
  } catch (error) {
    return fromError(error);
  }
  revalidatePath(`/orgs/${org}`, "layout");
  return { status: "success", message: "Secret revoked. Systems still using it are refused from now on." };
}

export async function revealSecretAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const parsed = revealSecretInput.safeParse({ clientId: text(form, "clientId"), secretId: text(form, "secretId") });
  if (!parsed.success) return fromZodError(parsed.error);
  const access = await requireOrganisationAccess(org, "secrets.reveal");
  try {
    const { value } = await revealSecret(await credentialContextFor(access), parsed.data);
    revalidatePath(`/orgs/${org}/manage/api`);
    return { status: "success", message: "This reveal has been recorded in the activity log.", value };
  } catch (error) {
    return fromError(error);
  }
}

export async function registerKeyAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, ["key", "kid", "expiresOn"]);
  const parsed = registerKeyInput.safeParse({
    clientId: text(form, "clientId"),
    key: text(form, "key") ?? "",
    kid: text(form, "kid"),
    expiresOn: text(form, "expiresOn"),
  });
  if (!parsed.success) return fromZodError(parsed.error, values);
  const access = await requireOrganisationAccess(org, "credentials.rotate");
  try {
    const key = await registerPublicKey(await credentialContextFor(access), parsed.data);
    revalidatePath(`/orgs/${org}/manage/api`);
    return { status: "success", message: `Key registered (RSA ${key.bits} bits, kid ${key.kid}).` };
  } catch (error) {
    return fromError(error, values);
  }
}

export async function revokeKeyAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const parsed = revokeKeyInput.safeParse({ clientId: text(form, "clientId"), keyId: text(form, "keyId") });
  if (!parsed.success) return fromZodError(parsed.error);
  const access = await requireOrganisationAccess(org, "credentials.rotate");
  try {
    await revokePublicKey(await credentialContextFor(access), parsed.data);
  } catch (error) {
    return fromError(error);
  }
  revalidatePath(`/orgs/${org}/manage/api`);
  return { status: "success", message: "Key revoked. Assertions signed with it are refused from now on." };
}

export async function updatePolicyAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = {
    ...submitted(form, ["validityDays", "overlapDays", "reminderOffsets", "secretRevealPolicy"]),
    autoIssue: form.get("autoIssue") === "on" ? "on" : "",
  };
  const offsets = parseDayList(String(form.get("reminderOffsets") ?? ""));
  if (typeof offsets === "string") return { status: "error", message: offsets, fieldErrors: { reminderOffsets: offsets }, values };
  const parsed = rotationPolicyInput.safeParse({
    validityDays: text(form, "validityDays"),
    overlapDays: text(form, "overlapDays"),
    reminderOffsets: offsets,
    autoIssue: form.get("autoIssue") === "on",
    secretRevealPolicy: text(form, "secretRevealPolicy"),
  });
  if (!parsed.success) return fromZodError(parsed.error, values);
  const access = await requireOrganisationAccess(org, "policy.manage");
  try {
    await updateRotationPolicy(await credentialContextFor(access), parsed.data);
  } catch (error) {
    return fromError(error, values);
  }
  revalidatePath(`/orgs/${org}`, "layout");
  return { status: "success", message: "Rotation policy saved. It applies to secrets issued from now on." };
}
