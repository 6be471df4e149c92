import Link from "next/link";
import { buttons } from "../buttons";

export interface AuditFilterValues {
  from?: string | undefined;
  to?: string | undefined;
  actor?: string | undefined;
  actorType?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  target?: string | undefined;
  organisation?: string | undefined;
}

export interface Option {
  value: string;
  label: string;
}

const field = "h-9 w-full rounded border border-slate-500 px-2";

/**
 * The audit log's filters: a plain GET form, so it works without JavaScript, a filtered view is a
 * link to share, and the back button returns to the last one. A new search starts from the newest
 * page (no cursor is sent).
 */
export function AuditFilterForm({
  path,
  values,
  actions,
  actorTypes,
  targetTypes,
  filtered,
  organisations,
}: {
  /** The operator's view: filter by organisation (by slug). */
  organisations?: Option[];
  path: string;
  values: AuditFilterValues;
  actions: Option[];
  actorTypes: Option[];
  targetTypes: Option[];
  filtered: boolean;
}) {
  const label = "block text-sm font-semibold";
  return (
    <search aria-label="Filter the audit log">
      <form method="get" action={path} className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {organisations ? (
          <div className="space-y-1">
            <label htmlFor="audit-organisation" className={label}>
              Organisation
            </label>
            <select id="audit-organisation" name="organisation" defaultValue={values.organisation ?? ""} className={field}>
              <option value="">Every organisation</option>
              {organisations.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="space-y-1">
          <label htmlFor="audit-from" className={label}>
            From (day)
          </label>
          <input id="audit-from" name="from" type="date" defaultValue={values.from ?? ""} className={field} />
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-to" className={label}>
            To (day, included)
          </label>
          <input id="audit-to" name="to" type="date" defaultValue={values.to ?? ""} className={field} />
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-action" className={label}>
            Action
          </label>
          <select id="audit-action" name="action" defaultValue={values.action ?? ""} className={field}>
            <option value="">Any action</option>
            {actions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-actor" className={label}>
            Actor (e-mail or name)
          </label>
          <input id="audit-actor" name="actor" type="search" maxLength={200} defaultValue={values.actor ?? ""} className={field} />
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-actor-type" className={label}>
            Source
          </label>
          <select id="audit-actor-type" name="actorType" defaultValue={values.actorType ?? ""} className={field}>
            <option value="">Any source</option>
            {actorTypes.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-target-type" className={label}>
            Target type
          </label>
          <select id="audit-target-type" name="targetType" defaultValue={values.targetType ?? ""} className={field}>
            <option value="">Any target</option>
            {targetTypes.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="audit-target" className={label}>
            Target (name or id)
          </label>
          <input id="audit-target" name="target" type="search" maxLength={200} defaultValue={values.target ?? ""} className={field} />
        </div>
        <div className="flex items-end gap-3">
          <button type="submit" className={`${buttons.secondary} h-9`}>
            Filter
          </button>
          {filtered ? (
            <Link href={path} className="py-1.5 text-sm font-semibold text-brand-700 underline">
              Clear filters
            </Link>
          ) : null}
        </div>
      </form>
    </search>
  );
}
