"use client";

import { FormMessage } from "../form-message";
import { buttons } from "./buttons";
import { SubmitButton } from "./submit-button";
import { type FormAction, useFormAction } from "./use-form-action";

/** A harmless one-button action in a table row (reopen an office, re-activate someone). */
export function SimpleAction({ action, label }: { action: FormAction; label: string }) {
  const [state, formAction] = useFormAction(action);
  return (
    <form action={formAction} className="space-y-2">
      <SubmitButton className={buttons.secondaryRow}>{label}</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
