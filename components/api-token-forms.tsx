"use client";

import { useActionState, useId, useState } from "react";
import type { ActionState } from "@/lib/action-state";
import { FormMessage } from "./form-message";
import { SecretValue } from "./secret-value";

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;
const idle: ActionState = { status: "idle", message: null };

export function CreateApiTokenForm({
  organisations,
  lifetimes,
  scopes,
  action,
}: {
  organisations: { slug: string; name: string }[];
  lifetimes: readonly number[];
  scopes: Record<"read" | "rotate", string>;
  action: Action;
}) {
  const [state, formAction, pending] = useActionState(action, idle);
  const id = useId();
  const err = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <div className="flex flex-wrap gap-4">
        <div className="space-y-1">
          <label htmlFor={`${id}-name`} className="block text-sm font-semibold">
            Token name
          </label>
          <input
            id={`${id}-name`}
            name="name"
            defaultValue={state.values?.name}
            required
            aria-describedby={`${id}-name-hint`}
            aria-invalid={err.name ? true : undefined}
            className="w-64 rounded border border-slate-500 px-2 py-1"
          />
          <p id={`${id}-name-hint`} className={`text-xs ${err.name ? "font-semibold text-red-800" : "text-slate-700"}`}>
            {err.name ?? "The system that will use it, e.g. rotation pipeline."}
          </p>
        </div>
        {organisations.length > 1 ? (
          <div className="space-y-1">
            <label htmlFor={`${id}-org`} className="block text-sm font-semibold">
              Organisation
            </label>
            <select id={`${id}-org`} name="organisation" className="rounded border border-slate-500 px-2 py-1">
              {organisations.map((o) => (
                <option key={o.slug} value={o.slug}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <input type="hidden" name="organisation" value={organisations[0]?.slug ?? ""} />
        )}
        <div className="space-y-1">
          <label htmlFor={`${id}-exp`} className="block text-sm font-semibold">
            Expires after
          </label>
          <select id={`${id}-exp`} name="expiresInDays" defaultValue="30" className="rounded border border-slate-500 px-2 py-1">
            {lifetimes.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="space-y-1" aria-describedby={err.scope ? `${id}-scope-error` : undefined}>
        <legend className="text-sm font-semibold">What the token may do</legend>
        {(Object.keys(scopes) as ("read" | "rotate")[]).map((scope) => (
          <label key={scope} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="scope"
              value={scope}
              defaultChecked={(state.values?.scope ?? "read") === scope}
              aria-invalid={err.scope ? true : undefined}
              className="mt-1"
            />
            <span>{scopes[scope]}</span>
          </label>
        ))}
        {err.scope ? (
          <p id={`${id}-scope-error`} className="text-xs font-semibold text-red-800">
            {err.scope}
          </p>
        ) : null}
      </fieldset>
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800"
      >
        Create token
      </button>
      <FormMessage state={state} />
      {state.value ? <SecretValue value={state.value} label="Your new API token (shown only now)" /> : null}
    </form>
  );
}

export function RevokeApiTokenForm({ tokenId, name, action }: { tokenId: string; name: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, idle);
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded border border-red-700 px-3 py-1 text-sm font-semibold text-red-800 hover:bg-red-50"
      >
        Revoke
      </button>
    );
  }
  return (
    <form action={formAction} className="space-y-2 rounded border border-red-300 bg-red-50 p-2">
      <input type="hidden" name="tokenId" value={tokenId} />
      <p className="text-sm text-red-900">Revoke “{name}”? Anything using it stops working at once.</p>
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className="rounded bg-red-700 px-3 py-1 text-sm font-semibold text-white">
          Yes, revoke it
        </button>
        <button
          type="button"
          onClick={() => setOpen(false)}
          className="rounded border border-brand-700 px-3 py-1 text-sm font-semibold text-brand-700"
        >
          Cancel
        </button>
      </div>
      <FormMessage state={state} />
    </form>
  );
}
