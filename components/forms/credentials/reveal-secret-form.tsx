"use client";

import { FormMessage } from "../../form-message";
import { SecretValue } from "../../secret-value";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { type FormAction, useFormAction } from "../use-form-action";

/** Shows a live secret again where the organisation's policy allows it; every reveal is audited. */
export function RevealSecretForm({ clientId, secretId, action }: { clientId: string; secretId: string; action: FormAction }) {
  const [state, formAction] = useFormAction(action);
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="clientId" value={clientId} />
      <input type="hidden" name="secretId" value={secretId} />
      {state.value ? (
        <SecretValue value={state.value} label="Secret value" />
      ) : (
        <SubmitButton className={buttons.secondary}>Reveal</SubmitButton>
      )}
      <FormMessage state={state} />
    </form>
  );
}
