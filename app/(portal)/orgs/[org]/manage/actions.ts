"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionState, fromError, fromZodError, submitted } from "@/lib/action-state";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { organisationContextFor } from "@/lib/auth/organisation-context";
import { addOffice } from "@/lib/organisations/add-office";
import { changeRole } from "@/lib/organisations/change-role";
import { deactivateMember } from "@/lib/organisations/deactivate-member";
import { inviteUser } from "@/lib/organisations/invite-user";
import { reactivateMember } from "@/lib/organisations/reactivate-member";
import { inviteUserInput, officeInput, ROLES } from "@/lib/organisations/schemas";
import { setOfficeClosed } from "@/lib/organisations/set-office-closed";
import { updateOffice } from "@/lib/organisations/update-office";

/*
 * Offices and people (issue 6). Each action parses its input, authorizes the caller for this
 * organisation itself (organisation admins only), then calls one use case, which is audited.
 */

const fields = (form: FormData, names: string[]) => Object.fromEntries(names.map((n) => [n, String(form.get(n) ?? "")]));
const officeFields = ["name", "addressLine1", "addressLine2", "town", "postcode", "country", "phone"];
const idField = z.uuid({ error: "That is not a valid id." });

async function manage(org: string) {
  const access = await requireOrganisationAccess(org, "organisation.manage");
  return { ctx: await organisationContextFor(access) };
}

export async function addOfficeAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, officeFields);
  const parsed = officeInput.safeParse(fields(form, officeFields));
  if (!parsed.success) return fromZodError(parsed.error, values);
  const { ctx } = await manage(org);
  try {
    const office = await addOffice(ctx, parsed.data);
    revalidatePath(`/orgs/${org}/manage/offices`);
    return { status: "success", message: `${office.name} added.` };
  } catch (error) {
    return fromError(error, values);
  }
}

export async function updateOfficeAction(org: string, officeId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, officeFields);
  const parsed = officeInput.safeParse(fields(form, officeFields));
  if (!parsed.success || !idField.safeParse(officeId).success)
    return parsed.success ? { status: "error", message: "Unknown office." } : fromZodError(parsed.error, values);
  const { ctx } = await manage(org);
  try {
    const office = await updateOffice(ctx, { officeId, office: parsed.data });
    revalidatePath(`/orgs/${org}/manage/offices`);
    return { status: "success", message: `${office.name} saved.` };
  } catch (error) {
    return fromError(error, values);
  }
}

export async function closeOfficeAction(
  org: string,
  officeId: string,
  closed: boolean,
  _prev: ActionState,
  _form: FormData,
): Promise<ActionState> {
  if (!idField.safeParse(officeId).success) return { status: "error", message: "Unknown office." };
  const { ctx } = await manage(org);
  try {
    const office = await setOfficeClosed(ctx, { officeId, closed });
    revalidatePath(`/orgs/${org}/manage/offices`);
    return { status: "success", message: `${office.name} ${closed ? "closed" : "reopened"}.` };
  } catch (error) {
    return fromError(error);
  }
}

export async function inviteUserAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, ["email", "name", "role"]);
  const parsed = inviteUserInput.safeParse({ email: form.get("email"), name: form.get("name") || undefined, role: form.get("role") });
  if (!parsed.success) return fromZodError(parsed.error, values);
  const { ctx } = await manage(org);
  try {
    await inviteUser(ctx, parsed.data);
    revalidatePath(`/orgs/${org}/manage`, "layout");
    return { status: "success", message: `${parsed.data.email} invited. They can sign in with that e-mail address.` };
  } catch (error) {
    return fromError(error, values);
  }
}

export async function changeRoleAction(org: string, membershipId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const role = z.enum(ROLES, { error: "Choose admin, designated user or member." }).safeParse(form.get("role"));
  if (!role.success || !idField.safeParse(membershipId).success) return { status: "error", message: "Choose a role." };
  const { ctx } = await manage(org);
  try {
    await changeRole(ctx, { membershipId, role: role.data });
    revalidatePath(`/orgs/${org}/manage`, "layout");
    return { status: "success", message: "Role changed." };
  } catch (error) {
    return fromError(error);
  }
}

export async function deactivateAction(org: string, membershipId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  if (!idField.safeParse(membershipId).success) return { status: "error", message: "Unknown member." };
  const { ctx } = await manage(org);
  try {
    await deactivateMember(ctx, { membershipId });
    revalidatePath(`/orgs/${org}/manage`, "layout");
    return { status: "success", message: "De-activated. Their sessions and API tokens ended at once." };
  } catch (error) {
    return fromError(error);
  }
}

export async function reactivateAction(org: string, membershipId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  if (!idField.safeParse(membershipId).success) return { status: "error", message: "Unknown member." };
  const { ctx } = await manage(org);
  try {
    await reactivateMember(ctx, { membershipId });
    revalidatePath(`/orgs/${org}/manage`, "layout");
    return { status: "success", message: "Re-activated." };
  } catch (error) {
    return fromError(error);
  }
}
