"use server";

import { z } from "zod";
import { type ActionState, submitted } from "@/lib/action-state";
import { organisationAction } from "@/lib/actions/caller-actions";
import { accept, refuse, validate } from "@/lib/actions/form-action";
import { actorFor } from "@/lib/auth/actor";
import type { Caller } from "@/lib/auth/caller";
import { getDb } from "@/lib/data/database";
import { inviteUser } from "@/lib/organisations/manage";
import { changeRole, deactivateMember, reactivateMember } from "@/lib/organisations/members";
import { addOffice, officeInput, setOfficeClosed, updateOffice } from "@/lib/organisations/offices";
import { inviteUserInput, ROLES } from "@/lib/organisations/schemas";

/*
 * Offices and people (issue 6). Each action parses its input, authorizes the caller for this
 * organisation itself (organisation admins only: "organisation.manage"), then calls one use case,
 * which is audited (lib/actions/form-action.ts).
 */

const fields = (form: FormData, names: string[]) => Object.fromEntries(names.map((n) => [n, String(form.get(n) ?? "")]));
const officeFields = ["name", "addressLine1", "addressLine2", "town", "postcode", "country", "phone"];
const isId = (id: string) => z.uuid().safeParse(id).success;
const acting = async (caller: Caller) => ({ db: await getDb(), actor: await actorFor(caller), now: new Date() });
const offices = (org: string) => `/orgs/${org}/manage/offices`;
const people = (org: string) => ({ path: `/orgs/${org}/manage`, type: "layout" as const });

export async function addOfficeAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, officeFields);
  return organisationAction(org, "organisation.manage", {
    values,
    parse: () => validate(officeInput, fields(form, officeFields), values),
    run: async (access, input) => {
      const { db, actor, now } = await acting(access.caller);
      const office = await addOffice(db, actor, access.organisation.id, input, now);
      return `${office.name} added.`;
    },
    revalidate: offices(org),
  });
}

export async function updateOfficeAction(org: string, officeId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, officeFields);
  return organisationAction(org, "organisation.manage", {
    values,
    parse: () => {
      const parsed = validate(officeInput, fields(form, officeFields), values);
      return parsed.ok && !isId(officeId) ? refuse("Unknown office.") : parsed;
    },
    run: async (access, input) => {
      const { db, actor } = await acting(access.caller);
      const office = await updateOffice(db, actor, access.organisation.id, officeId, input);
      return `${office.name} saved.`;
    },
    revalidate: offices(org),
  });
}

export async function closeOfficeAction(
  org: string,
  officeId: string,
  closed: boolean,
  _prev: ActionState,
  _form: FormData,
): Promise<ActionState> {
  return organisationAction(org, "organisation.manage", {
    parse: () => (isId(officeId) ? accept({ officeId, closed }) : refuse("Unknown office.")),
    run: async (access, input) => {
      const { db, actor, now } = await acting(access.caller);
      const office = await setOfficeClosed(db, actor, access.organisation.id, input.officeId, input.closed, now);
      return `${office.name} ${closed ? "closed" : "reopened"}.`;
    },
    revalidate: offices(org),
  });
}

export async function inviteUserAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, ["email", "name", "role"]);
  return organisationAction(org, "organisation.manage", {
    values,
    parse: () =>
      validate(inviteUserInput, { email: form.get("email"), name: form.get("name") || undefined, role: form.get("role") }, values),
    run: async (access, input) => {
      const { db, actor, now } = await acting(access.caller);
      await inviteUser(db, actor, access.organisation.slug, input, now, access.caller.isOperator);
      return `${input.email} invited. They can sign in with that e-mail address.`;
    },
    revalidate: people(org),
  });
}

export async function changeRoleAction(org: string, membershipId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return organisationAction(org, "organisation.manage", {
    parse: () => {
      const role = z.enum(ROLES).safeParse(form.get("role"));
      return role.success && isId(membershipId) ? accept(role.data) : refuse("Choose a role.");
    },
    run: async (access, role) => {
      const { db, actor, now } = await acting(access.caller);
      await changeRole(db, { actor, isOperator: access.caller.isOperator }, access.organisation.id, membershipId, role, now);
      return "Role changed.";
    },
    revalidate: people(org),
  });
}

export async function deactivateAction(org: string, membershipId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  return organisationAction(org, "organisation.manage", {
    parse: () => (isId(membershipId) ? accept(membershipId) : refuse("Unknown member.")),
    run: async (access, id) => {
      const { db, actor, now } = await acting(access.caller);
      await deactivateMember(db, { actor, isOperator: access.caller.isOperator }, access.organisation.id, id, now);
      return "De-activated. Their sessions and API tokens ended at once.";
    },
    revalidate: people(org),
  });
}

export async function reactivateAction(org: string, membershipId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  return organisationAction(org, "organisation.manage", {
    parse: () => (isId(membershipId) ? accept(membershipId) : refuse("Unknown member.")),
    run: async (access, id) => {
      const { db, actor } = await acting(access.caller);
      await reactivateMember(db, { actor, isOperator: access.caller.isOperator }, access.organisation.id, id);
      return "Re-activated.";
    },
    revalidate: people(org),
  });
}
