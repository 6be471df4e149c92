"use client";

import { useId } from "react";
import { FormMessage } from "../../form-message";
import { SecretValue } from "../../secret-value";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { TextField } from "../text-field";
import { type FormAction, useFormAction } from "../use-form-action";

/** Creates the operator's own platform API token (scope platform); its value is shown once, here. */
export function CreatePlatformTokenForm({ lifetimes, action }: { lifetimes: readonly number[]; action: FormAction }) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  const err = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <div className="flex flex-wrap gap-4">
        <TextField
          formId={id}
          name="name"
          label="Token name"
          required
          hint="The system that will use it, e.g. onboarding pipeline."
          error={err.name}
          defaultValue={state.values?.name}
          className="w-64 rounded border border-slate-500 px-2 py-1"
        />
        <div className="space-y-1">
          <label htmlFor={`${id}-exp`} className="block text-sm font-semibold">
            Expires after
          </label>
          <select id={`${id}-exp`} name="expiresInDays" defaultValue="30" className="rounded border border-slate-500 px-2 py-1">
            {lifetimes.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </div>
      </div>
      <SubmitButton className={buttons.primary}>Create platform token</SubmitButton>
      <FormMessage state={state} />
      {state.value ? <SecretValue value={state.value} label="Your new platform API token (shown only now)" /> : null}
    </form>
  );
}
