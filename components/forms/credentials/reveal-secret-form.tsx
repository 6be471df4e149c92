"use client";

import { useRef, useState } from "react";
import { FormMessage } from "../../form-message";
import { SecretValue } from "../../secret-value";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { type FormAction, useFormAction } from "../use-form-action";

/**
 * Shows a live secret again where the organisation's policy allows it; every reveal is audited.
 * Hide takes it off the screen again (a new reveal is a new audited event).
 */
export function RevealSecretForm({ clientId, secretId, action }: { clientId: string; secretId: string; action: FormAction }) {
  const [state, formAction] = useFormAction(action);
  // The answer that was hidden: a new reveal is a new answer (and the same value) and shows again.
  const [hidden, setHidden] = useState<typeof state | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const shown = state !== hidden && state.value !== undefined ? state.value : null;
  return (
    <form ref={form} action={formAction} className="space-y-2">
      <input type="hidden" name="clientId" value={clientId} />
      <input type="hidden" name="secretId" value={secretId} />
      {shown ? (
        <>
          <SecretValue value={shown} label="Secret value" />
          <button
            type="button"
            className={buttons.secondary}
            onClick={() => {
              setHidden(state);
              // Focus stays in place: on the Reveal button that replaces this one.
              requestAnimationFrame(() => form.current?.querySelector<HTMLButtonElement>("button[type=submit]")?.focus());
            }}
          >
            Hide
          </button>
        </>
      ) : (
        <SubmitButton className={buttons.secondary}>Reveal</SubmitButton>
      )}
      {state !== hidden ? <FormMessage state={state} /> : null}
    </form>
  );
}
