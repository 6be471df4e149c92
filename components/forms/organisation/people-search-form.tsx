import Link from "next/link";
import { buttons } from "../buttons";
import { TextField } from "../text-field";
import type { RoleOption } from "./invite-user-form";

/**
 * Searches a people tab by name or e-mail and role: a plain GET form, so it works without
 * JavaScript, the search is in the address, and the back button returns to the last one.
 */
export function PeopleSearchForm({
  path,
  q,
  role,
  roles,
  filtered,
  formId,
}: {
  path: string;
  q: string;
  role: string | null;
  roles: RoleOption[];
  filtered: boolean;
  /** Unique per page: the fields' ids are built from it. */
  formId: string;
}) {
  return (
    <search aria-label="Search people">
      <form method="get" action={path} className="flex flex-wrap items-end gap-3">
        <div className="w-full sm:w-72">
          <TextField
            formId={formId}
            name="q"
            type="search"
            label="Name or e-mail"
            defaultValue={q}
            className="h-9 w-full rounded border border-slate-500 px-2"
          />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${formId}-role`} className="block text-sm font-semibold">
            Filter by role
          </label>
          <select id={`${formId}-role`} name="role" defaultValue={role ?? ""} className="h-9 rounded border border-slate-500 px-2">
            <option value="">Any role</option>
            {roles.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={`${buttons.secondary} h-9`}>
          Search
        </button>
        {filtered ? (
          <Link href={path} className="py-1.5 text-sm font-semibold text-brand-700 underline">
            Clear search
          </Link>
        ) : null}
      </form>
    </search>
  );
}
