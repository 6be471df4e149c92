"use client";

import { useId } from "react";
import { FormMessage } from "../../form-message";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { TextField } from "../text-field";
import { type FormAction, useFormAction } from "../use-form-action";

/** Onboards an organisation with its rotation policy and its first admin and designated user. */
export function OnboardForm({ action, maxValidityDays }: { action: FormAction; maxValidityDays: number }) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  const field = (name: string, label: string, options: { hint?: string; defaultValue?: string; optional?: boolean } = {}) => (
    <TextField
      formId={id}
      name={name}
      label={label}
      optional={options.optional}
      hint={options.hint}
      error={state.fieldErrors?.[name]}
      defaultValue={state.values?.[name] ?? options.defaultValue}
    />
  );
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-1 font-semibold">Organisation</legend>
        {field("name", "Name")}
        {field("slug", "URL name", { optional: true, hint: "Lower-case letters, digits and hyphens; made from the name if empty." })}
        {field("timeZone", "Time zone", {
          defaultValue: "Europe/London",
          hint: "Calendar days (expiry, reminders) count here, e.g. Asia/Kolkata.",
        })}
        {field("locale", "Date format", { defaultValue: "en-GB", hint: "en-GB shows DD/MM/YYYY." })}
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <legend className="mb-1 font-semibold">Rotation policy</legend>
        {field("validityDays", "Validity (days)", { defaultValue: "180", hint: `Up to ${maxValidityDays}.` })}
        {field("overlapDays", "Overlap (days)", { defaultValue: "30" })}
        {field("reminderOffsets", "Reminders (days before expiry)", { defaultValue: "30, 20, 10, 5, 3, 0" })}
        <div className="flex items-center gap-2">
          <input
            id={`${id}-auto`}
            name="autoIssue"
            type="checkbox"
            defaultChecked={state.values ? state.values.autoIssue === "on" : false}
            className="h-4 w-4"
          />
          <label htmlFor={`${id}-auto`} className="text-sm">
            Issue the next secret automatically
          </label>
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-reveal`} className="block text-sm font-semibold">
            Showing secrets
          </label>
          <select
            id={`${id}-reveal`}
            name="secretRevealPolicy"
            defaultValue={state.values?.secretRevealPolicy ?? "reveal"}
            className="w-full rounded border border-slate-500 px-2 py-1"
          >
            <option value="reveal">Admins may reveal live secrets (audited)</option>
            <option value="show_once">Show once, at creation</option>
          </select>
        </div>
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-1 font-semibold">First people</legend>
        {field("adminEmail", "Admin's e-mail address")}
        {field("adminName", "Admin's name", { optional: true })}
        {field("spocEmail", "Designated user's e-mail address", {
          hint: "A service account address the organisation controls is best: it outlives any one person.",
        })}
        {field("spocName", "Designated user's name", { optional: true })}
      </fieldset>
      <SubmitButton className={buttons.primaryLarge}>Onboard organisation</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
