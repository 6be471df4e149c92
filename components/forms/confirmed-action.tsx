"use client";

import { buttons } from "./buttons";
import { ConfirmedForm } from "./confirmed-form";
import type { FormAction } from "./use-form-action";

/** A one-button action in a table row (close an office, de-activate someone) behind a confirmation that says what will happen. */
export function ConfirmedAction({
  action,
  label,
  confirmLabel,
  warning,
}: {
  action: FormAction;
  label: string;
  confirmLabel: string;
  warning: string;
}) {
  return (
    <ConfirmedForm
      action={action}
      trigger={label}
      triggerClass={buttons.dangerOutlineRow}
      submitLabel={confirmLabel}
      submitClass={buttons.dangerRow}
    >
      <p className="text-sm text-red-900">{warning}</p>
    </ConfirmedForm>
  );
}
