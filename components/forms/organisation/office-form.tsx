"use client";

import { useId } from "react";
import { FormMessage } from "../../form-message";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { TextField } from "../text-field";
import { type FormAction, useFormAction } from "../use-form-action";

export interface OfficeView {
  name: string;
  addressLine1: string;
  addressLine2: string | null;
  town: string;
  postcode: string;
  country: string;
  phone: string | null;
}

/** Adds an office, or edits `office`; what was typed stays after a refusal. */
export function OfficeForm({ action, office, submitLabel }: { action: FormAction; office?: OfficeView; submitLabel: string }) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  const e = state.fieldErrors ?? {};
  const v = state.values ?? {};
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField formId={id} name="name" label="Office name" error={e.name} defaultValue={v.name ?? office?.name} />
        <TextField formId={id} name="phone" label="Phone" optional error={e.phone} defaultValue={v.phone ?? office?.phone} />
        <TextField
          formId={id}
          name="addressLine1"
          label="Address line 1"
          error={e.addressLine1}
          defaultValue={v.addressLine1 ?? office?.addressLine1}
        />
        <TextField
          formId={id}
          name="addressLine2"
          label="Address line 2"
          optional
          error={e.addressLine2}
          defaultValue={v.addressLine2 ?? office?.addressLine2}
        />
        <TextField formId={id} name="town" label="Town or city" error={e.town} defaultValue={v.town ?? office?.town} />
        <TextField formId={id} name="postcode" label="Postcode" error={e.postcode} defaultValue={v.postcode ?? office?.postcode} />
        <TextField
          formId={id}
          name="country"
          label="Country code"
          error={e.country}
          hint="Two letters, e.g. GB or IN."
          defaultValue={v.country ?? office?.country ?? "GB"}
        />
      </div>
      <SubmitButton className={buttons.primary}>{submitLabel}</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
