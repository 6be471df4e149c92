"use client";

import { useId } from "react";
import { FormMessage } from "../../form-message";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { type FormAction, useFormAction } from "../use-form-action";
import type { RoleOption } from "./invite-user-form";
import { SuccessorSelect } from "./successor-select";

/**
 * Changes one member's role, from their row in the table of active users. On the designated user's
 * row it also asks who takes that role over (`successors`).
 */
export function RoleForm({
  action,
  current,
  roles,
  person,
  successors,
}: {
  action: FormAction;
  current: string;
  roles: RoleOption[];
  person: string;
  successors?: RoleOption[];
}) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      <label htmlFor={`${id}-role`} className="sr-only">
        Role of {person}
      </label>
      <select id={`${id}-role`} name="role" defaultValue={current} className="rounded border border-slate-500 px-2 py-1 text-sm">
        {roles.map((r) => (
          <option key={r.value} value={r.value}>
            {r.label}
          </option>
        ))}
      </select>
      <SubmitButton className={buttons.secondaryCompact}>Save role</SubmitButton>
      {successors ? <SuccessorSelect people={successors} person={person} error={state.fieldErrors?.successorMembershipId} /> : null}
      <div className="w-full">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
