"use client";

import { useId } from "react";
import { FormMessage } from "../../form-message";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { TextField } from "../text-field";
import { type FormAction, useFormAction } from "../use-form-action";

export interface PolicyView {
  validityDays: number;
  overlapDays: number;
  reminderOffsets: number[];
  autoIssue: boolean;
  secretRevealPolicy: "reveal" | "show_once";
  maxValidityDays: number;
}

const dayInput = "w-40 rounded border border-slate-500 px-2 py-1";

/** The organisation's rotation policy (docs/domain.md): validity, overlap, reminders, auto-issue, reveal. */
export function PolicyForm({ policy, action }: { policy: PolicyView; action: FormAction }) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  const err = state.fieldErrors ?? {};
  const v = state.values;
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField
          formId={id}
          name="validityDays"
          label="Validity (days)"
          type="number"
          min={1}
          max={policy.maxValidityDays}
          hint={`Up to ${policy.maxValidityDays}, the platform's maximum.`}
          error={err.validityDays}
          defaultValue={v?.validityDays ?? String(policy.validityDays)}
          className={dayInput}
        />
        <TextField
          formId={id}
          name="overlapDays"
          label="Overlap (days)"
          type="number"
          min={0}
          hint="Both secrets are accepted for this long."
          error={err.overlapDays}
          defaultValue={v?.overlapDays ?? String(policy.overlapDays)}
          className={dayInput}
        />
        <TextField
          formId={id}
          name="reminderOffsets"
          label="Reminders (days before expiry)"
          hint="Comma-separated; 0 is the expiry day."
          error={err.reminderOffsets}
          defaultValue={v?.reminderOffsets ?? policy.reminderOffsets.join(", ")}
        />
      </div>
      <div className="flex items-center gap-2">
        <input
          id={`${id}-autoIssue`}
          name="autoIssue"
          type="checkbox"
          defaultChecked={v ? v.autoIssue === "on" : policy.autoIssue}
          className="h-4 w-4"
        />
        <label htmlFor={`${id}-autoIssue`} className="text-sm">
          Issue the next secret automatically when the overlap begins
        </label>
      </div>
      <fieldset className="space-y-1">
        <legend className="text-sm font-semibold">Showing secret values</legend>
        <div className="flex items-center gap-2">
          <input
            id={`${id}-reveal`}
            type="radio"
            name="secretRevealPolicy"
            value="reveal"
            defaultChecked={(v?.secretRevealPolicy ?? policy.secretRevealPolicy) === "reveal"}
          />
          <label htmlFor={`${id}-reveal`} className="text-sm">
            Admins and the designated user may reveal a live secret again (each reveal is recorded)
          </label>
        </div>
        <div className="flex items-center gap-2">
          <input
            id={`${id}-once`}
            type="radio"
            name="secretRevealPolicy"
            value="show_once"
            defaultChecked={(v?.secretRevealPolicy ?? policy.secretRevealPolicy) === "show_once"}
          />
          <label htmlFor={`${id}-once`} className="text-sm">
            Show once: a secret is shown only when created. Switching destroys every stored copy.
          </label>
        </div>
      </fieldset>
      <SubmitButton className={buttons.primary}>Save policy</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
