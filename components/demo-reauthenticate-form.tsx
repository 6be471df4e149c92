"use client";

import { useActionState } from "react";

type Action = (state: { error: string | null }, formData: FormData) => Promise<{ error: string | null }>;

/** Demo deployments: "confirm it's you" as the person already signed in, and nobody else. */
export function DemoReauthenticateForm({ email, name, action }: { email: string; name: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, { error: null });
  return (
    <form action={formAction} className="space-y-2 rounded border border-dashed border-slate-400 p-4">
      {state.error ? (
        <p role="alert" className="rounded border-l-4 border-red-700 bg-red-50 px-4 py-3 text-red-900">
          {state.error}
        </p>
      ) : null}
      <p className="text-slate-800">Demo deployment: no password to type.</p>
      <input type="hidden" name="email" value={email} />
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60"
      >
        {pending ? "Signing in…" : `Continue as ${name}`}
      </button>
    </form>
  );
}
