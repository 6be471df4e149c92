"use client";

import { useId } from "react";
import { FormMessage } from "../../form-message";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { TextField } from "../text-field";
import { type FormAction, useFormAction } from "../use-form-action";

export interface RoleOption {
  value: string;
  label: string;
}

/** Invites someone by e-mail address into the organisation with a role and, if chosen, one of its open offices. */
export function InviteUserForm({ action, roles, offices }: { action: FormAction; roles: RoleOption[]; offices: RoleOption[] }) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  const e = state.fieldErrors ?? {};
  const v = state.values ?? {};
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <TextField
          formId={id}
          name="email"
          label="E-mail address"
          error={e.email}
          hint="They sign in with this address."
          defaultValue={v.email}
        />
        <TextField formId={id} name="name" label="Name" optional error={e.name} defaultValue={v.name} />
        <div className="space-y-1">
          <label htmlFor={`${id}-role`} className="block text-sm font-semibold">
            Role
          </label>
          <select
            id={`${id}-role`}
            name="role"
            defaultValue={v.role ?? "member"}
            aria-invalid={e.role ? true : undefined}
            aria-describedby={e.role ? `${id}-role-note` : undefined}
            className="w-full rounded border border-slate-500 px-2 py-1"
          >
            {roles.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
          {e.role ? (
            <p id={`${id}-role-note`} className="text-xs font-semibold text-red-800">
              {e.role}
            </p>
          ) : null}
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-office`} className="block text-sm font-semibold">
            Office (optional)
          </label>
          <select
            id={`${id}-office`}
            name="officeId"
            defaultValue={v.officeId ?? ""}
            aria-invalid={e.officeId ? true : undefined}
            aria-describedby={e.officeId ? `${id}-office-note` : undefined}
            className="w-full rounded border border-slate-500 px-2 py-1"
          >
            <option value="">No office</option>
            {offices.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {e.officeId ? (
            <p id={`${id}-office-note`} className="text-xs font-semibold text-red-800">
              {e.officeId}
            </p>
          ) : null}
        </div>
      </div>
      <SubmitButton className={buttons.primary}>Invite</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
