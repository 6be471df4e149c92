"use client";

import { useId } from "react";
import { FormMessage } from "../../form-message";
import { SecretValue } from "../../secret-value";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { TextField } from "../text-field";
import { type FormAction, useFormAction } from "../use-form-action";

export type TokenScope = "read" | "rotate";

/** Creates a personal API token for one organisation; its value is shown once, here. */
export function CreateApiTokenForm({
  organisations,
  lifetimes,
  scopes,
  action,
}: {
  organisations: { slug: string; name: string }[];
  lifetimes: readonly number[];
  scopes: Record<TokenScope, string>;
  action: FormAction;
}) {
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
          hint="The system that will use it, e.g. rotation pipeline."
          error={err.name}
          defaultValue={state.values?.name}
          className="w-64 rounded border border-slate-500 px-2 py-1"
        />
        {organisations.length > 1 ? (
          <div className="space-y-1">
            <label htmlFor={`${id}-org`} className="block text-sm font-semibold">
              Organisation
            </label>
            <select id={`${id}-org`} name="organisation" className="rounded border border-slate-500 px-2 py-1">
              {organisations.map((o) => (
                <option key={o.slug} value={o.slug}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <input type="hidden" name="organisation" value={organisations[0]?.slug ?? ""} />
        )}
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
      <fieldset className="space-y-1" aria-describedby={err.scope ? `${id}-scope-error` : undefined}>
        <legend className="text-sm font-semibold">What the token may do</legend>
        {(Object.keys(scopes) as TokenScope[]).map((scope) => (
          <label key={scope} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="scope"
              value={scope}
              defaultChecked={(state.values?.scope ?? "read") === scope}
              aria-invalid={err.scope ? true : undefined}
              className="mt-1"
            />
            <span>{scopes[scope]}</span>
          </label>
        ))}
        {err.scope ? (
          <p id={`${id}-scope-error`} className="text-xs font-semibold text-red-800">
            {err.scope}
          </p>
        ) : null}
      </fieldset>
      <SubmitButton className={buttons.primary}>Create token</SubmitButton>
      <FormMessage state={state} />
      {state.value ? <SecretValue value={state.value} label="Your new API token (shown only now)" /> : null}
    </form>
  );
}
