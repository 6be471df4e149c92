"use client";

import { useId } from "react";
import { FormMessage } from "../../form-message";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { type FormAction, useFormAction } from "../use-form-action";

/** Makes someone an organisation's designated user, from its row in the operator's list. */
export function DesignateSpocForm({ action, organisation }: { action: FormAction; organisation: string }) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  const error = state.fieldErrors?.email;
  return (
    <form action={formAction} className="space-y-1" noValidate>
      <label htmlFor={`${id}-email`} className="sr-only">
        New designated user of {organisation}
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          placeholder="e-mail address"
          defaultValue={state.values?.email}
          aria-invalid={error ? true : undefined}
          className="min-w-48 flex-1 rounded border border-slate-500 px-2 py-1 text-sm"
        />
        <SubmitButton className={buttons.secondaryCompact}>Designate</SubmitButton>
      </div>
      <FormMessage state={state} />
    </form>
  );
}
