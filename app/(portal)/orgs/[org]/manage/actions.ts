"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionState, fromError, fromZodError, submitted } from "@/lib/action-state";
import { actorFor } from "@/lib/auth/actor";
import { requireOrganisationAccess } from "@/lib/auth/caller";
import { getDb } from "@/lib/data/database";
import { inviteUser } from "@/lib/organisations/manage";
import { changeRole, deactivateMember, reactivateMember } from "@/lib/organisations/members";
import { addOffice, officeInput, setOfficeClosed, updateOffice } from "@/lib/organisations/offices";
import { inviteUserInput, ROLES } from "@/lib/organisations/schemas";

/*
 * Offices and people (issue 6). Each action parses its input, authorizes the caller for this
 * organisation itself (organisation admins only), then calls one use case, which is audited.
 */

const fields = (form: FormData, names: string[]) => Object.fromEntries(names.map((n) => [n, String(form.get(n) ?? "")]));
const officeFields = ["name", "addressLine1", "addressLine2", "town", "postcode", "country", "phone"];
const idField = z.uuid({ error: "That is not a valid id." });

async function manage(org: string) {
  const access = await requireOrganisationAccess(org, "organisation.manage");
  return { access, db: await getDb(), actor: await actorFor(access.caller), now: new Date() };
}

export async function addOfficeAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, officeFields);
  const parsed = officeInput.safeParse(fields(form, officeFields));
  if (!parsed.success) return fromZodError(parsed.error, values);
  const { access, db, actor, now } = await manage(org);
  try {
    const office = await addOffice(db, actor, access.organisation.id, parsed.data, now);
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
  const { access, db, actor } = await manage(org);
  try {
    const office = await updateOffice(db, actor, access.organisation.id, officeId, parsed.data);
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
  const { access, db, actor, now } = await manage(org);
  try {
    const office = await setOfficeClosed(db, actor, access.organisation.id, officeId, closed, now);
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
  const { access, db, actor, now } = await manage(org);
  try {
    await inviteUser(db, actor, access.organisation.slug, parsed.data, now, access.caller.isOperator);
    revalidatePath(`/orgs/${org}/manage`, "layout");
    return { status: "success", message: `${parsed.data.email} invited. They can sign in with that e-mail address.` };
  } catch (error) {
    return fromError(error, values);
  }
}

export async function changeRoleAction(org: string, membershipId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const role = z.enum(ROLES, { error: "Choose admin, designated user or member." }).safeParse(form.get("role"));
  if (!role.success || !idField.safeParse(membershipId).success) return { status: "error", message: "Choose a role." };
  const { access, db, actor } = await manage(org);
  try {
    await changeRole(db, { actor, isOperator: access.caller.isOperator }, access.organisation.id, membershipId, role.data, new Date());
    revalidatePath(`/orgs/${org}/manage`, "layout");
    return { status: "success", message: "Role changed." };
  } catch (error) {
    return fromError(error);
  }
}

export async function deactivateAction(org: string, membershipId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  if (!idField.safeParse(membershipId).success) return { status: "error", message: "Unknown member." };
  const { access, db, actor, now } = await manage(org);
  try {
    await deactivateMember(db, { actor, isOperator: access.caller.isOperator }, access.organisation.id, membershipId, now);
    revalidatePath(`/orgs/${org}/manage`, "layout");
    return { status: "success", message: "De-activated. Their sessions and API tokens ended at once." };
  } catch (error) {
    return fromError(error);
  }
}

export async function reactivateAction(org: string, membershipId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  if (!idField.safeParse(membershipId).success) return { status: "error", message: "Unknown member." };
  const { access, db, actor } = await manage(org);
  try {
    await reactivateMember(db, { actor, isOperator: access.caller.isOperator }, access.organisation.id, membershipId);
    revalidatePath(`/orgs/${org}/manage`, "layout");
    return { status: "success", message: "Re-activated." };
  } catch (error) {
    return fromError(error);
  }
}
