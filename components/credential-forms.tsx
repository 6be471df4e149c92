"use client";

import { useActionState, useId, useState } from "react";
import type { ActionState } from "@/lib/action-state";
import { Confirm } from "./confirm";
import { FormMessage } from "./form-message";
import { SecretValue } from "./secret-value";

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;
const idle: ActionState = { status: "idle", message: null };

const buttonClass = "rounded px-3 py-1.5 text-sm font-semibold disabled:opacity-60";
const primary = `${buttonClass} bg-brand-700 text-white hover:bg-brand-800`;
const secondary = `${buttonClass} border border-brand-700 text-brand-700 hover:bg-brand-50`;
const danger = `${buttonClass} bg-red-700 text-white hover:bg-red-800`;

export function RotateSecretForm({ clientId, action, showOnce }: { clientId: string; action: Action; showOnce: boolean }) {
  const [state, formAction, pending] = useActionState(action, idle);
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="clientId" value={clientId} />
      <button type="submit" className={primary} disabled={pending}>
        {pending ? "Issuing…" : "Rotate secret"}
      </button>
      <FormMessage state={state} />
      {state.value ? <SecretValue value={state.value} label={showOnce ? "Your new secret (shown only now)" : "Your new secret"} /> : null}
    </form>
  );
}

export function CompromiseRotateForm({ clientId, action }: { clientId: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, idle);
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className="space-y-2">
      <Confirm
        trigger="Rotate after a compromise"
        triggerClass={`${buttonClass} border border-red-700 text-red-800 hover:bg-red-50`}
        open={open}
        setOpen={setOpen}
      >
        <form action={formAction} className="space-y-2">
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
            aria-invalid={state.fieldErrors?.confirmation ? true : undefined}
            className="w-full rounded border border-slate-500 px-2 py-1 font-mono"
          />
          <button type="submit" className={danger} disabled={pending}>
            Revoke all and issue a new secret
          </button>
        </form>
      </Confirm>
      <FormMessage state={state} />
      {state.value ? <SecretValue value={state.value} label="Your new secret" /> : null}
    </div>
  );
}

export function RevokeSecretForm({
  clientId,
  secretId,
  masked,
  action,
}: {
  clientId: string;
  secretId: string;
  masked: string;
  action: Action;
}) {
  const [state, formAction, pending] = useActionState(action, idle);
  const [open, setOpen] = useState(false);
  return (
    <div className="space-y-2">
      <Confirm
        trigger="Revoke"
        triggerClass={`${buttonClass} border border-red-700 text-red-800 hover:bg-red-50`}
        open={open}
        setOpen={setOpen}
      >
        <form action={formAction} className="space-y-2">
          <input type="hidden" name="clientId" value={clientId} />
          <input type="hidden" name="secretId" value={secretId} />
          <p className="text-sm text-red-900">
            Revoke the secret ending <code className="font-mono">{masked.slice(-4)}</code> now? Systems still using it will be refused at
            once.
          </p>
          <button type="submit" className={danger} disabled={pending}>
            Yes, revoke it
          </button>
        </form>
      </Confirm>
      <FormMessage state={state} />
    </div>
  );
}

export function RevealSecretForm({ clientId, secretId, action }: { clientId: string; secretId: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, idle);
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="clientId" value={clientId} />
      <input type="hidden" name="secretId" value={secretId} />
      {state.value ? (
        <SecretValue value={state.value} label="Secret value" />
      ) : (
        <button type="submit" className={secondary} disabled={pending}>
          Reveal
        </button>
      )}
      <FormMessage state={state} />
    </form>
  );
}

export function RegisterKeyForm({ clientId, action }: { clientId: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, idle);
  const id = useId();
  const err = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-3 rounded border border-slate-300 p-3" noValidate>
      <input type="hidden" name="clientId" value={clientId} />
      <div className="space-y-1">
        <label htmlFor={`${id}-key`} className="block font-semibold">
          Public key (PEM or JWK)
        </label>
        <p id={`${id}-key-hint`} className="text-sm text-slate-700">
          RSA, 2048 to 4096 bits. Paste the public key only, never the private key: openssl rsa -in key.pem -pubout
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
          <p id={`${id}-key-error`} className="text-sm font-semibold text-red-800">
            {err.key}
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap gap-4">
        <div className="space-y-1">
          <label htmlFor={`${id}-kid`} className="block text-sm font-semibold">
            Key ID (optional)
          </label>
          <input
            id={`${id}-kid`}
            name="kid"
            defaultValue={state.values?.kid}
            aria-describedby={`${id}-kid-hint`}
            aria-invalid={err.kid ? true : undefined}
            className="rounded border border-slate-500 px-2 py-1 font-mono text-sm"
          />
          <p id={`${id}-kid-hint`} className="text-xs text-slate-700">
            {err.kid ?? "Defaults to the key's RFC 7638 thumbprint."}
          </p>
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-exp`} className="block text-sm font-semibold">
            Last day accepted (optional)
          </label>
          <input
            id={`${id}-exp`}
            name="expiresOn"
            type="date"
            defaultValue={state.values?.expiresOn}
            aria-invalid={err.expiresOn ? true : undefined}
            className="rounded border border-slate-500 px-2 py-1 text-sm"
          />
          {err.expiresOn ? <p className="text-xs font-semibold text-red-800">{err.expiresOn}</p> : null}
        </div>
      </div>
      <button type="submit" className={primary} disabled={pending}>
        Register key
      </button>
      <FormMessage state={state} />
    </form>
  );
}

export function RevokeKeyForm({ clientId, keyId, kid, action }: { clientId: string; keyId: string; kid: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, idle);
  const [open, setOpen] = useState(false);
  return (
    <div className="space-y-2">
      <Confirm
        trigger="Revoke key"
        triggerClass={`${buttonClass} border border-red-700 text-red-800 hover:bg-red-50`}
        open={open}
        setOpen={setOpen}
      >
        <form action={formAction} className="space-y-2">
          <input type="hidden" name="clientId" value={clientId} />
          <input type="hidden" name="keyId" value={keyId} />
          <p className="text-sm text-red-900">
            Revoke key <code className="break-all font-mono">{kid.slice(0, 16)}</code>? Assertions signed with it will be refused at once.
          </p>
          <button type="submit" className={danger} disabled={pending}>
            Yes, revoke the key
          </button>
        </form>
      </Confirm>
      <FormMessage state={state} />
    </div>
  );
}

export interface PolicyView {
  validityDays: number;
  overlapDays: number;
  reminderOffsets: number[];
  autoIssue: boolean;
  secretRevealPolicy: "reveal" | "show_once";
  maxValidityDays: number;
}

export function PolicyForm({ policy, action }: { policy: PolicyView; action: Action }) {
  const [state, formAction, pending] = useActionState(action, idle);
  const id = useId();
  const err = state.fieldErrors ?? {};
  const v = state.values;
  const field = (name: string, label: string, hint: string, input: React.ReactNode) => (
    <div className="space-y-1">
      <label htmlFor={`${id}-${name}`} className="block text-sm font-semibold">
        {label}
      </label>
      {input}
      <p id={`${id}-${name}-hint`} className={`text-xs ${err[name] ? "font-semibold text-red-800" : "text-slate-700"}`}>
        {err[name] ?? hint}
      </p>
    </div>
  );
  const inputClass = "w-40 rounded border border-slate-500 px-2 py-1";
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <div className="grid gap-4 sm:grid-cols-3">
        {field(
          "validityDays",
          "Validity (days)",
          `Up to ${policy.maxValidityDays}, the platform's maximum.`,
          <input
            id={`${id}-validityDays`}
            name="validityDays"
            type="number"
            min={1}
            max={policy.maxValidityDays}
            defaultValue={v?.validityDays ?? policy.validityDays}
            aria-describedby={`${id}-validityDays-hint`}
            aria-invalid={err.validityDays ? true : undefined}
            className={inputClass}
          />,
        )}
        {field(
          "overlapDays",
          "Overlap (days)",
          "Both secrets are accepted for this long.",
          <input
            id={`${id}-overlapDays`}
            name="overlapDays"
            type="number"
            min={0}
            defaultValue={v?.overlapDays ?? policy.overlapDays}
            aria-describedby={`${id}-overlapDays-hint`}
            aria-invalid={err.overlapDays ? true : undefined}
            className={inputClass}
          />,
        )}
        {field(
          "reminderOffsets",
          "Reminders (days before expiry)",
          "Comma-separated; 0 is the expiry day.",
          <input
            id={`${id}-reminderOffsets`}
            name="reminderOffsets"
            defaultValue={v?.reminderOffsets ?? policy.reminderOffsets.join(", ")}
            aria-describedby={`${id}-reminderOffsets-hint`}
            aria-invalid={err.reminderOffsets ? true : undefined}
            className="w-full rounded border border-slate-500 px-2 py-1"
          />,
        )}
      </div>
      <div className="flex items-center gap-2">
        <input
          id={`${id}-autoIssue`}
          name="autoIssue"
          type="checkbox"
          defaultChecked={v ? v.autoIssue === "on" : policy.autoIssue}
          className="h-4 w-4"
        />
        <label htmlFor={`${id}-autoIssue`} className="text-sm">
          Issue the next secret automatically when the overlap begins
        </label>
      </div>
      <fieldset className="space-y-1">
        <legend className="text-sm font-semibold">Showing secret values</legend>
        <div className="flex items-center gap-2">
          <input
            id={`${id}-reveal`}
            type="radio"
            name="secretRevealPolicy"
            value="reveal"
            defaultChecked={(v?.secretRevealPolicy ?? policy.secretRevealPolicy) === "reveal"}
          />
          <label htmlFor={`${id}-reveal`} className="text-sm">
            Admins and the designated user may reveal a live secret again (each reveal is recorded)
          </label>
        </div>
        <div className="flex items-center gap-2">
          <input
            id={`${id}-once`}
            type="radio"
            name="secretRevealPolicy"
            value="show_once"
            defaultChecked={(v?.secretRevealPolicy ?? policy.secretRevealPolicy) === "show_once"}
          />
          <label htmlFor={`${id}-once`} className="text-sm">
            Show once: a secret is shown only when created. Switching destroys every stored copy.
          </label>
        </div>
      </fieldset>
      <button type="submit" className={primary} disabled={pending}>
        Save policy
      </button>
      <FormMessage state={state} />
    </form>
  );
}
