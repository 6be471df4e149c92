"use client";

import { ConfirmedForm } from "../confirmed-form";
import type { FormAction } from "../use-form-action";

/** Ends one secret now, after a confirmation naming it by its last four characters. */
export function RevokeSecretForm({
  clientId,
  secretId,
  masked,
  action,
}: {
  clientId: string;
  secretId: string;
  masked: string;
  action: FormAction;
}) {
  return (
    <ConfirmedForm action={action} trigger="Revoke" submitLabel="Yes, revoke it">
      <input type="hidden" name="clientId" value={clientId} />
      <input type="hidden" name="secretId" value={secretId} />
      <p className="text-sm text-red-900">
        Revoke the secret ending <code className="font-mono">{masked.slice(-4)}</code> now? Systems still using it will be refused at once.
      </p>
    </ConfirmedForm>
  );
}
