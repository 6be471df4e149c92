"use client";

import { useId } from "react";
import { FormMessage } from "../../form-message";
import { buttons } from "../buttons";
import { ConfirmedForm } from "../confirmed-form";
import { SubmitButton } from "../submit-button";
import { TextField } from "../text-field";
import { type FormAction, useFormAction } from "../use-form-action";

/** Sets, changes or removes the URL where a client publishes its signing keys (docs/domain.md, "Keys at a JWKS URL"). */
export function JwksUriForm({
  clientId,
  clientName,
  current,
  action,
}: {
  clientId: string;
  clientName: string;
  current: string | null;
  action: FormAction;
}) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  return (
    <form action={formAction} className="space-y-3 rounded border border-slate-300 p-3" noValidate>
      <input type="hidden" name="clientId" value={clientId} />
      <TextField
        formId={id}
        name="jwksUri"
        type="url"
        label="JWKS URL"
        hint="An https address where your system publishes its public keys as a JWK Set. Rotor fetches it, and fetches again when an assertion names a new kid."
        error={state.fieldErrors?.jwksUri}
        defaultValue={state.values?.jwksUri ?? current}
        placeholder="https://keys.example.com/.well-known/jwks.json"
        className="w-full rounded border border-slate-500 px-2 py-1 font-mono text-sm"
      />
      <FormMessage state={state} />
      <SubmitButton className={buttons.primary} pendingLabel="Saving…">
        Save the JWKS URL<span className="sr-only"> of {clientName}</span>
      </SubmitButton>
    </form>
  );
}

/** Stops using the published keys, after a confirmation that says what stops working. */
export function RemoveJwksUriForm({ clientId, clientName, action }: { clientId: string; clientName: string; action: FormAction }) {
  return (
    <ConfirmedForm action={action} trigger="Remove the JWKS URL" triggerContext={clientName} submitLabel="Yes, remove it">
      <input type="hidden" name="clientId" value={clientId} />
      <input type="hidden" name="remove" value="true" />
      <p className="text-sm text-red-900">
        Remove the JWKS URL of {clientName}? Assertions signed with its published keys are refused at once; registered keys keep working.
      </p>
    </ConfirmedForm>
  );
}
