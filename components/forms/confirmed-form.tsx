"use client";

import { type ReactNode, useState } from "react";
import type { ActionState } from "@/lib/action-state";
import { Confirm } from "../confirm";
import { FormMessage } from "../form-message";
import { buttons } from "./buttons";
import { SubmitButton } from "./submit-button";
import { type FormAction, useFormAction } from "./use-form-action";

/**
 * A destructive action behind a confirmation (components/confirm.tsx): the trigger opens a panel
 * that says what will happen, and only its own submit button acts. The outcome is shown below.
 */
export function ConfirmedForm({
  action,
  trigger,
  triggerContext,
  triggerClass = buttons.dangerOutline,
  submitLabel,
  submitClass = buttons.danger,
  children,
  after,
  noValidate,
}: {
  action: FormAction;
  trigger: string;
  /** Screen-reader-only words after the trigger's name (components/confirm.tsx). */
  triggerContext?: string;
  triggerClass?: string;
  submitLabel: string;
  submitClass?: string;
  /** Hidden inputs, the warning and any field the confirmation needs; a function when they show the last state. */
  children: ReactNode | ((state: ActionState) => ReactNode);
  /** Shown under the message, e.g. a new secret. */
  after?: (state: ActionState) => ReactNode;
  /** Leave the checking to the server, whose message says what to fix (a number field with bounds). */
  noValidate?: boolean;
}) {
  const [state, formAction] = useFormAction(action);
  const [open, setOpen] = useState(false);
  return (
    <div className="space-y-2">
      <Confirm trigger={trigger} triggerContext={triggerContext} triggerClass={triggerClass} open={open} setOpen={setOpen}>
        <form action={formAction} className="space-y-2" noValidate={noValidate}>
          {typeof children === "function" ? children(state) : children}
          <SubmitButton className={submitClass}>{submitLabel}</SubmitButton>
        </form>
      </Confirm>
      <FormMessage state={state} />
      {after?.(state)}
    </div>
  );
}
