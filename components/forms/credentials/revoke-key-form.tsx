"use client";

import { ConfirmedForm } from "../confirmed-form";
import type { FormAction } from "../use-form-action";

/** Ends one public key now, after a confirmation naming it by its kid. */
export function RevokeKeyForm({ clientId, keyId, kid, action }: { clientId: string; keyId: string; kid: string; action: FormAction }) {
  return (
    <ConfirmedForm action={action} trigger="Revoke key" triggerContext={kid.slice(0, 16)} submitLabel="Yes, revoke the key">
      <input type="hidden" name="clientId" value={clientId} />
      <input type="hidden" name="keyId" value={keyId} />
      <p className="text-sm text-red-900">
        Revoke key <code className="break-all font-mono">{kid.slice(0, 16)}</code>? Assertions signed with it will be refused at once.
      </p>
    </ConfirmedForm>
  );
}
