"use client";

import { useId } from "react";
import { FormMessage } from "../../form-message";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { TextField } from "../text-field";
import { type FormAction, useFormAction } from "../use-form-action";
import { ClientSettingsFields, NEW_CLIENT } from "./client-settings-fields";

/** The platform operator creates a client for an organisation, with no credential yet. */
export function CreateClientForm({ action, organisations }: { action: FormAction; organisations: { slug: string; name: string }[] }) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  const orgError = state.fieldErrors?.organisation;
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor={`${id}-organisation`} className="block text-sm font-semibold">
            Organisation
          </label>
          <select
            // Remounted with what was sent: React's reset after an action does not restore a select's choice.
            key={state.values?.organisation ?? ""}
            id={`${id}-organisation`}
            name="organisation"
            defaultValue={state.values?.organisation ?? ""}
            aria-invalid={orgError ? true : undefined}
            aria-describedby={orgError ? `${id}-organisation-note` : undefined}
            className="w-full rounded border border-slate-500 px-2 py-1"
          >
            <option value="">Choose…</option>
            {organisations.map((o) => (
              <option key={o.slug} value={o.slug}>
                {o.name}
              </option>
            ))}
          </select>
          {orgError ? (
            <p id={`${id}-organisation-note`} className="text-xs font-semibold text-red-800">
              {orgError}
            </p>
          ) : null}
        </div>
        <TextField
          formId={id}
          name="name"
          label="Client name"
          hint="What the client is for, e.g. Claims API."
          error={state.fieldErrors?.name}
          defaultValue={state.values?.name}
        />
      </div>
      <ClientSettingsFields id={id} state={state} defaults={NEW_CLIENT} />
      <SubmitButton className={buttons.primary}>Create client</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
