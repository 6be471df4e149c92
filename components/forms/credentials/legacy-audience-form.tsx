"use client";

import { useId } from "react";
import { FormMessage } from "../../form-message";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { type FormAction, useFormAction } from "../use-form-action";

/** The designated user's legacy aud switch for one client, where the operator allows it (docs/domain.md). */
export function LegacyAudienceForm({
  clientId,
  clientName,
  on,
  action,
}: {
  clientId: string;
  clientName: string;
  on: boolean;
  action: FormAction;
}) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  return (
    <form action={formAction} className="space-y-2 rounded border border-slate-300 p-3" data-testid="legacy-audience-form">
      <input type="hidden" name="clientId" value={clientId} />
      <div className="flex items-start gap-2">
        <input id={`${id}-legacy`} name="legacyAudience" type="checkbox" defaultChecked={on} className="mt-1 h-4 w-4" />
        <label htmlFor={`${id}-legacy`} className="text-sm">
          Also accept the token endpoint URL as an assertion&apos;s aud (legacy). Leave it off once the list above shows only the issuer
          identifier.
        </label>
      </div>
      <FormMessage state={state} />
      <SubmitButton className={buttons.secondary} pendingLabel="Saving…">
        Save the legacy aud switch<span className="sr-only"> of {clientName}</span>
      </SubmitButton>
    </form>
  );
}
