"use server";

import { z } from "zod";
import { type ActionState, submitted } from "@/lib/action-state";
import { organisationAction } from "@/lib/actions/caller-actions";
import { accept, refuse, validate } from "@/lib/actions/form-action";
import { organisationContextFor } from "@/lib/auth/organisation-context";
import { addOffice } from "@/lib/organisations/add-office";
import { changeRole } from "@/lib/organisations/change-role";
import { deactivateMember } from "@/lib/organisations/deactivate-member";
import { inviteUser } from "@/lib/organisations/invite-user";
import { reactivateMember } from "@/lib/organisations/reactivate-member";
import { resendInvitation } from "@/lib/organisations/resend-invitation";
import { inviteUserInput, officeInput, ROLES } from "@/lib/organisations/schemas";
import { setMemberOffice } from "@/lib/organisations/set-member-office";
import { setOfficeClosed } from "@/lib/organisations/set-office-closed";
import { updateOffice } from "@/lib/organisations/update-office";

/*
 * Offices and people (issue 6). Each action parses its input, authorizes the caller for this
 * organisation itself (organisation admins only: "organisation.manage"), then calls one use case,
 * which is audited (lib/actions/form-action.ts).
 */

const fields = (form: FormData, names: string[]) => Object.fromEntries(names.map((n) => [n, String(form.get(n) ?? "")]));
const officeFields = ["name", "addressLine1", "addressLine2", "town", "postcode", "country", "phone"];
const isId = (id: string) => z.uuid().safeParse(id).success;
const offices = (org: string) => `/orgs/${org}/manage/offices`;
/** The designated user's successor named in the same step, if any (lib/organisations/spoc-rule.ts). */
function successorOf(form: FormData): { successorMembershipId?: string } | null {
  const raw = form.get("successorMembershipId");
  if (raw === null || raw === "") return {};
  return isId(String(raw)) ? { successorMembershipId: String(raw) } : null;
}
const people = (org: string) => ({ path: `/orgs/${org}/manage`, type: "layout" as const });

export async function addOfficeAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, officeFields);
  return organisationAction(org, "organisation.manage", {
    values,
    parse: () => validate(officeInput, fields(form, officeFields), values),
    run: async (access, input) => {
      const office = await addOffice(await organisationContextFor(access), input);
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
      const office = await updateOffice(await organisationContextFor(access), { officeId, office: input });
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
      const office = await setOfficeClosed(await organisationContextFor(access), input);
      return `${office.name} ${closed ? "closed" : "reopened"}.`;
    },
    revalidate: offices(org),
  });
}

export async function inviteUserAction(org: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const values = submitted(form, ["email", "name", "role", "officeId"]);
  return organisationAction(org, "organisation.manage", {
    values,
    parse: () =>
      validate(
        inviteUserInput,
        {
          email: form.get("email"),
          name: form.get("name") || undefined,
          role: form.get("role"),
          officeId: form.get("officeId") || undefined,
        },
        values,
      ),
    run: async (access, input) => {
      await inviteUser(await organisationContextFor(access), input);
      return `${input.email} invited. An invitation e-mail is on its way; they sign in with that address.`;
    },
    revalidate: people(org),
  });
}

export async function changeRoleAction(org: string, membershipId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return organisationAction(org, "organisation.manage", {
    parse: () => {
      const role = z.enum(ROLES).safeParse(form.get("role"));
      const successor = successorOf(form);
      if (!successor) return refuse("Choose the new designated user from the list.", { field: "successorMembershipId" });
      return role.success && isId(membershipId) ? accept({ role: role.data, ...successor }) : refuse("Choose a role.");
    },
    run: async (access, { role, successorMembershipId }) => {
      await changeRole(await organisationContextFor(access), { membershipId, role, successorMembershipId });
      return "Role changed.";
    },
    revalidate: people(org),
  });
}

export async function setOfficeAction(org: string, membershipId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return organisationAction(org, "organisation.manage", {
    parse: () => {
      // The empty choice is "No office".
      const officeId = String(form.get("officeId") ?? "");
      if (officeId !== "" && !isId(officeId)) return refuse("Choose an office from the list.", { field: "officeId" });
      return isId(membershipId) ? accept({ membershipId, officeId: officeId === "" ? null : officeId }) : refuse("Unknown member.");
    },
    run: async (access, input) => {
      await setMemberOffice(await organisationContextFor(access), input);
      return "Office saved.";
    },
    revalidate: people(org),
  });
}

export async function deactivateAction(org: string, membershipId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return organisationAction(org, "organisation.manage", {
    parse: () => {
      const successor = successorOf(form);
      if (!successor) return refuse("Choose the new designated user from the list.", { field: "successorMembershipId" });
      return isId(membershipId) ? accept({ membershipId, ...successor }) : refuse("Unknown member.");
    },
    run: async (access, input) => {
      await deactivateMember(await organisationContextFor(access), input);
      return "De-activated. Their sessions and API tokens ended at once.";
    },
    announce: true,
    revalidate: people(org),
  });
}

export async function reactivateAction(org: string, membershipId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  return organisationAction(org, "organisation.manage", {
    parse: () => (isId(membershipId) ? accept(membershipId) : refuse("Unknown member.")),
    run: async (access, id) => {
      await reactivateMember(await organisationContextFor(access), { membershipId: id });
      return "Re-activated.";
    },
    announce: true,
    revalidate: people(org),
  });
}

export async function resendInvitationAction(org: string, membershipId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  return organisationAction(org, "organisation.manage", {
    parse: () => (isId(membershipId) ? accept(membershipId) : refuse("Unknown member.")),
    run: async (access, id) => {
      const { email } = await resendInvitation(await organisationContextFor(access), { membershipId: id });
      return `Invitation sent again to ${email}.`;
    },
    revalidate: people(org),
  });
}
