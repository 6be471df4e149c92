"use client";

import { useActionState, useId } from "react";

type Action = (state: { error: string | null; email?: string }, form: FormData) => Promise<{ error: string | null; email?: string }>;

export function EmailSignInForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, { error: null });
  const id = useId();
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <div className="space-y-1">
        <label htmlFor={`${id}-email`} className="block font-semibold">
          E-mail address
        </label>
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          autoComplete="email"
          defaultValue={state.email}
          aria-invalid={state.error ? true : undefined}
          aria-describedby={state.error ? `${id}-error` : undefined}
          className="w-full max-w-md rounded border border-slate-500 px-2 py-1.5"
        />
        {state.error ? (
          <p id={`${id}-error`} role="alert" className="text-sm font-semibold text-red-800">
            {state.error}
          </p>
        ) : null}
      </div>
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60"
      >
        {pending ? "Sending…" : "E-mail me a sign-in link"}
      </button>
    </form>
  );
}
