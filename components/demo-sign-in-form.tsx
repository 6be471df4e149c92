"use client";

import { useActionState } from "react";

export interface DemoPerson {
  email: string;
  name: string;
  organisation: string | null;
  roleLabel: string;
  active: boolean;
}

type Action = (state: { error: string | null }, formData: FormData) => Promise<{ error: string | null }>;

function groupByOrganisation(people: DemoPerson[]): [string, DemoPerson[]][] {
  const groups = new Map<string, DemoPerson[]>();
  for (const p of people) {
    const key = p.organisation ?? "Platform";
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const group of groups.values()) group.sort((a, b) => Number(b.active) - Number(a.active));
  return [...groups.entries()];
}

export function DemoSignInForm({ people, action }: { people: DemoPerson[]; action: Action }) {
  const [state, formAction, pending] = useActionState(action, { error: null });
  return (
    <form action={formAction} className="space-y-4">
      {state.error ? (
        <p role="alert" className="rounded border-l-4 border-red-700 bg-red-50 px-4 py-3 text-red-900">
          {state.error}
        </p>
      ) : null}
      {groupByOrganisation(people).map(([organisation, group]) => (
        <fieldset key={organisation} className="rounded border border-slate-300 bg-white">
          <legend className="ml-3 px-1 font-semibold text-brand-900">{organisation}</legend>
          <ul className="divide-y divide-slate-200">
            {group.map((p) => (
              <li key={p.email} className="grid grid-cols-[1fr_auto] items-center gap-3 px-4 py-3">
                <div>
                  <p className="font-semibold">
                    {p.name}
                    {p.active ? null : (
                      <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 text-xs font-normal text-slate-800">de-activated</span>
                    )}
                  </p>
                  <p className="text-sm text-slate-700">
                    {p.roleLabel} · {p.email}
                  </p>
                </div>
                <button
                  type="submit"
                  name="email"
                  value={p.email}
                  disabled={pending}
                  className="rounded border border-brand-700 px-3 py-1.5 text-sm font-semibold text-brand-700 hover:bg-brand-50 disabled:opacity-60"
                  aria-label={`Continue as ${p.name}`}
                >
                  Continue
                </button>
              </li>
            ))}
          </ul>
        </fieldset>
      ))}
    </form>
  );
}
