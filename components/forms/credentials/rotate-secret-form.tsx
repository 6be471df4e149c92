"use client";

import { FormMessage } from "../../form-message";
import { SecretValue } from "../../secret-value";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { type FormAction, useFormAction } from "../use-form-action";

/** Issues the client's next secret; the value is shown once, in the response to the person who asked. */
export function RotateSecretForm({ clientId, action, showOnce }: { clientId: string; action: FormAction; showOnce: boolean }) {
  const [state, formAction] = useFormAction(action);
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="clientId" value={clientId} />
      <SubmitButton className={buttons.primary} pendingLabel="Issuing…">
        Rotate secret
      </SubmitButton>
      <FormMessage state={state} />
      {state.value ? <SecretValue value={state.value} label={showOnce ? "Your new secret (shown only now)" : "Your new secret"} /> : null}
    </form>
  );
}
