import { z } from "zod";
import { AUDIT_ACTIONS } from "@/lib/data/audit";
import { AUDIT_TARGET_TYPES } from "@/lib/data/audit-search";
import { addDays, calendarDate, startOfDay } from "@/lib/rotation/calendar";
import { AUDIT_ACTOR_TYPES, type AuditSearchInput } from "./schemas";

/**
 * The Audit log tab's filters, from the URL (`?from=&to=&actor=&actorType=&action=&targetType=&target=&cursor=`):
 * a GET form, so a filtered view is a link. Days are whole days in the organisation's time zone,
 * `to` included (docs/domain.md, "Client secrets": calendar days). A bad value falls back to no
 * filter, never an error page.
 */
const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const realDay = (v: string) => {
  try {
    calendarDate(v);
    return true;
  } catch {
    return false;
  }
};
const day = z.preprocess(first, z.iso.date().refine(realDay).optional()).catch(undefined);
const text = z.preprocess(first, z.string().trim().max(200).optional()).catch(undefined);
const isStorable = (v: string) => !v.includes("\u0000") && v.isWellFormed();

const auditFilterParams = z.object({
  from: day,
  to: day,
  actor: text,
  actorType: z.preprocess(first, z.enum(AUDIT_ACTOR_TYPES).optional()).catch(undefined),
  action: z.preprocess(first, z.enum(AUDIT_ACTIONS).optional()).catch(undefined),
  targetType: z.preprocess(first, z.enum(AUDIT_TARGET_TYPES).optional()).catch(undefined),
  target: text,
  cursor: z.preprocess(first, z.string().max(200).optional()).catch(undefined),
});
export type AuditFilterForm = z.output<typeof auditFilterParams>;

export function parseAuditFilter(params: Record<string, string | string[] | undefined>): AuditFilterForm {
  const parsed = auditFilterParams.parse(params);
  const clean = (v: string | undefined) => (v && isStorable(v) ? v : undefined);
  return { ...parsed, actor: clean(parsed.actor), target: clean(parsed.target), cursor: clean(parsed.cursor) };
}

/** The use case's input for the form's filters: days become instants in the organisation's zone. */
export function auditSearchOf(form: AuditFilterForm, timeZone: string): Omit<AuditSearchInput, "limit"> {
  const from = form.from ? startOfDay(calendarDate(form.from), timeZone) : undefined;
  const to = form.to ? startOfDay(addDays(calendarDate(form.to), 1), timeZone) : undefined;
  return {
    from,
    // Days the wrong way round mean nothing to search: the later one is left out rather than an error page.
    to: from && to && to <= from ? undefined : to,
    actor: form.actor,
    actorType: form.actorType,
    action: form.action,
    targetType: form.targetType,
    target: form.target,
    cursor: form.cursor,
  };
}

/** The tab's (or the export's) address for these filters; empty ones left out. */
export function auditFilterHref(path: string, form: AuditFilterForm, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of ["from", "to", "actor", "actorType", "action", "targetType", "target", "cursor"] as const) {
    const value = form[key];
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

export const isAuditFiltered = (form: AuditFilterForm) =>
  Boolean(form.from || form.to || form.actor || form.actorType || form.action || form.targetType || form.target);
