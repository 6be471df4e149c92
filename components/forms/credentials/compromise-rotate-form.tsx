"use client";

import { useId } from "react";
import { SecretValue } from "../../secret-value";
import { ConfirmedForm } from "../confirmed-form";
import type { FormAction } from "../use-form-action";

/** Rotation after a leak: every current secret is revoked at once, so the client ID must be typed to confirm. */
export function CompromiseRotateForm({ clientId, action }: { clientId: string; action: FormAction }) {
  const id = useId();
  return (
    <ConfirmedForm
      action={action}
      trigger="Rotate after a compromise"
      triggerContext={`of client ${clientId}`}
      submitLabel="Revoke all and issue a new secret"
      after={(state) => (state.value ? <SecretValue value={state.value} label="Your new secret" /> : null)}
    >
      {(state) => (
        <>
          <input type="hidden" name="clientId" value={clientId} />
          <input type="hidden" name="compromised" value="true" />
          <p className="text-sm font-semibold text-red-900">
            This issues a new secret and revokes every current secret at once. Every system using an old secret is refused from that moment.
          </p>
          <label htmlFor={`${id}-confirm`} className="block text-sm">
            Type the client ID <code className="font-mono">{clientId}</code> to confirm
          </label>
          <input
            id={`${id}-confirm`}
            name="confirmation"
            autoComplete="off"
            defaultValue={state.values?.confirmation}
            aria-invalid={state.fieldErrors?.confirmation ? true : undefined}
            className="w-full rounded border border-slate-500 px-2 py-1 font-mono"
          />
        </>
      )}
    </ConfirmedForm>
  );
}
