"use client";

import { useId, useState } from "react";
import { FormMessage } from "../../form-message";
import { buttons } from "../buttons";
import { SubmitButton } from "../submit-button";
import { TextField } from "../text-field";
import { type FormAction, useFormAction } from "../use-form-action";

const PRIVATE_KEY_REFUSED =
  "That is a private key, so it was not sent and the field was cleared. Paste the public half only (openssl pkey -in key.pem -pubout), and if this private key was shared anywhere, make a new key pair.";

/** PEM private keys of any kind, or a JWK with a private member ("d"). */
function looksPrivate(text: string): boolean {
  return /PRIVATE KEY-----/.test(text) || /"d"\s*:/.test(text);
}

/** Registers a public key for private_key_jwt; the key is pasted, so it keeps a text area of its own. */
export function RegisterKeyForm({ clientId, action }: { clientId: string; action: FormAction }) {
  const [state, formAction] = useFormAction(action);
  const id = useId();
  const [privateKeyRefused, setPrivateKeyRefused] = useState(false);
  const err = privateKeyRefused ? { ...state.fieldErrors, key: PRIVATE_KEY_REFUSED } : (state.fieldErrors ?? {});
  return (
    <form
      action={formAction}
      className="space-y-3 rounded border border-slate-300 p-3"
      noValidate
      onSubmit={(event) => {
        // A private key never leaves the browser: refused here, before anything is sent, and cleared.
        const field = event.currentTarget.elements.namedItem("key");
        if (field instanceof HTMLTextAreaElement && looksPrivate(field.value)) {
          event.preventDefault();
          field.value = "";
          setPrivateKeyRefused(true);
          field.focus();
          return;
        }
        setPrivateKeyRefused(false);
      }}
    >
      <input type="hidden" name="clientId" value={clientId} />
      <div className="space-y-1">
        <label htmlFor={`${id}-key`} className="block font-semibold">
          Public key (PEM or JWK)
        </label>
        <p id={`${id}-key-hint`} className="text-sm text-slate-700">
          RSA (2048 to 4096 bits) or EC on the P-256 curve, for ES256. Paste the public key only, never the private key: openssl pkey -in
          key.pem -pubout
        </p>
        <textarea
          id={`${id}-key`}
          name="key"
          rows={5}
          defaultValue={state.values?.key}
          required
          aria-describedby={`${id}-key-hint${err.key ? ` ${id}-key-error` : ""}`}
          aria-invalid={err.key ? true : undefined}
          className="w-full rounded border border-slate-500 px-2 py-1 font-mono text-xs"
          placeholder="-----BEGIN PUBLIC KEY-----"
        />
        {err.key ? (
          <p id={`${id}-key-error`} role={privateKeyRefused ? "alert" : undefined} className="text-sm font-semibold text-red-800">
            {err.key}
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap gap-4">
        <TextField
          formId={id}
          name="kid"
          label="Key ID"
          optional
          hint="Defaults to the key's RFC 7638 thumbprint."
          error={err.kid}
          defaultValue={state.values?.kid}
          className="rounded border border-slate-500 px-2 py-1 font-mono text-sm"
        />
        <TextField
          formId={id}
          name="label"
          label="Label"
          optional
          hint="To tell keys apart, e.g. 'signing service, 2026'."
          error={err.label}
          defaultValue={state.values?.label}
          className="rounded border border-slate-500 px-2 py-1 text-sm"
        />
        <TextField
          formId={id}
          name="expiresOn"
          label="Last day accepted"
          optional
          type="date"
          error={err.expiresOn}
          defaultValue={state.values?.expiresOn}
          className="rounded border border-slate-500 px-2 py-1 text-sm"
        />
      </div>
      <SubmitButton className={buttons.primary}>Register key</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
