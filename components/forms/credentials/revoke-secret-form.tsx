"use client";

import { useId } from "react";
import { ConfirmedForm } from "../confirmed-form";
import type { FormAction } from "../use-form-action";

/**
 * Ends one secret now, after a confirmation naming it by its last four characters. Where Rotor's
 * records say the systems still use it (used in the last day, the new secret never), the
 * confirmation says so with the evidence and asks for the client ID (docs/domain.md, "Client secrets").
 */
export function RevokeSecretForm({
  clientId,
  secretId,
  masked,
  action,
  stillInUse,
}: {
  clientId: string;
  secretId: string;
  masked: string;
  action: FormAction;
  /** When set: how recently this secret was used, e.g. "4 minutes ago". */
  stillInUse?: { lastUsed: string } | null;
}) {
  const id = useId();
  return (
    <ConfirmedForm action={action} trigger="Revoke" triggerContext={`secret ending ${masked.slice(-4)}`} submitLabel="Yes, revoke it">
      {(state) => (
        <>
          <input type="hidden" name="clientId" value={clientId} />
          <input type="hidden" name="secretId" value={secretId} />
          {stillInUse ? (
            <>
              <p className="text-sm font-semibold text-red-900">
                Your systems probably still use this secret: it was last used {stillInUse.lastUsed}, and the new secret has never been used.
                Revoking it now refuses them at once.
              </p>
              <label htmlFor={`${id}-confirm`} className="block text-sm">
                Type the client ID <code className="font-mono">{clientId}</code> to revoke the secret ending{" "}
                <code className="font-mono">{masked.slice(-4)}</code> anyway
              </label>
              <input
                id={`${id}-confirm`}
                name="confirmClientId"
                autoComplete="off"
                aria-invalid={state.fieldErrors?.confirmClientId ? true : undefined}
                className="w-full rounded border border-slate-500 px-2 py-1 font-mono"
              />
            </>
          ) : (
            <p className="text-sm text-red-900">
              Revoke the secret ending <code className="font-mono">{masked.slice(-4)}</code> now? Systems still using it will be refused at
              once.
            </p>
          )}
        </>
      )}
    </ConfirmedForm>
  );
}
