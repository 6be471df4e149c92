"use client";

import { useId } from "react";
import { FormMessage } from "../../form-message";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { type FormAction, useFormAction } from "../use-form-action";
import type { RoleOption } from "./invite-user-form";

/**
 * Sets or clears one member's office, from their row in the table of active users. `offices` are
 * the organisation's open ones, plus their current office when it has closed since, so the select
 * shows where they are (saving it unchanged changes nothing).
 */
export function MemberOfficeForm({
  action,
  current,
  offices,
  person,
}: {
  action: FormAction;
  current: string | null;
  offices: RoleOption[];
  person: string;
}) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  const error = state.fieldErrors?.officeId;
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      <label htmlFor={`${id}-office`} className="sr-only">
        Office of {person}
      </label>
      <select
        id={`${id}-office`}
        name="officeId"
        defaultValue={current ?? ""}
        aria-invalid={error ? true : undefined}
        className="w-40 rounded border border-slate-500 px-1 py-1 text-sm"
      >
        <option value="">No office</option>
        {offices.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <SubmitButton className={buttons.secondaryCompact}>Save office</SubmitButton>
      <div className="w-full">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
