"use client";

import { useId } from "react";
import type { RoleOption } from "./invite-user-form";

/**
 * Who becomes the designated user (SPOC) when the current one is de-activated or changes role: the
 * organisation is never left without one by accident (issue 12). Optional for the platform operator.
 */
export function SuccessorSelect({ people, person, error }: { people: RoleOption[]; person: string; error?: string }) {
  const id = useId();
  return (
    <div className="w-full space-y-1">
      <label htmlFor={`${id}-successor`} className="block text-sm font-semibold">
        New designated user instead of {person}
      </label>
      <select
        id={`${id}-successor`}
        name="successorMembershipId"
        defaultValue=""
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-successor-error` : undefined}
        className="max-w-full rounded border border-slate-500 px-2 py-1 text-sm"
      >
        <option value="">Choose a person</option>
        {people.map((p) => (
          <option key={p.value} value={p.value}>
            {p.label}
          </option>
        ))}
      </select>
      {error ? (
        <p id={`${id}-successor-error`} className="text-sm font-semibold text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}
