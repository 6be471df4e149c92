"use client";

import { useActionState, useId } from "react";
import type { ActionState } from "@/lib/action-state";
import { FormMessage } from "./form-message";

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

export function AssertionCheckerForm({ action, defaultType }: { action: Action; defaultType: string }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle", message: null } as ActionState);
  const id = useId();
  return (
    <form action={formAction} className="space-y-3">
      <div className="space-y-1">
        <label htmlFor={`${id}-assertion`} className="block font-semibold">
          client_assertion
        </label>
        <textarea
          id={`${id}-assertion`}
          name="assertion"
          rows={4}
          defaultValue={state.values?.assertion}
          aria-invalid={state.fieldErrors?.assertion ? true : undefined}
          className="w-full rounded border border-slate-500 px-2 py-1 font-mono text-xs"
          placeholder="eyJhbGciOiJSUzI1NiIsImtpZCI6..."
        />
      </div>
      <div className="space-y-1">
        <label htmlFor={`${id}-type`} className="block text-sm font-semibold">
          client_assertion_type you send
        </label>
        <input
          id={`${id}-type`}
          name="assertionType"
          defaultValue={defaultType}
          className="w-full rounded border border-slate-500 px-2 py-1 font-mono text-xs"
        />
      </div>
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800"
      >
        {pending ? "Checking…" : "Check assertion"}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
