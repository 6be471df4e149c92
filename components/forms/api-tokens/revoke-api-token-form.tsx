"use client";

import { buttons } from "../buttons";
import { ConfirmedForm } from "../confirmed-form";
import type { FormAction } from "../use-form-action";

/** Ends one personal API token now, after a confirmation naming it. */
export function RevokeApiTokenForm({ tokenId, name, action }: { tokenId: string; name: string; action: FormAction }) {
  return (
    <ConfirmedForm
      action={action}
      trigger="Revoke"
      triggerClass={buttons.dangerOutlineRow}
      submitLabel="Yes, revoke it"
      submitClass={buttons.dangerRow}
    >
      <input type="hidden" name="tokenId" value={tokenId} />
      <p className="text-sm text-red-900">Revoke “{name}”? Anything using it stops working at once.</p>
    </ConfirmedForm>
  );
}
