import { z } from "zod";
import { AUDIT_ACTIONS } from "@/lib/data/audit";
import { AUDIT_TARGET_TYPES } from "@/lib/data/audit-search";
import { storableText } from "@/lib/text-field";

/** The audit log's page size: 50 unless asked, 200 at most (docs/domain.md, "The audit log"). */
export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;
export const AUDIT_ACTOR_TYPES = ["user", "api_token", "cli", "system"] as const;

const optionalText = (what: string) =>
  storableText()
    .trim()
    .max(200, { error: `${what} is at most 200 characters.` })
    .optional()
    .transform((v) => (v === "" ? undefined : v));

/** The search as the use case takes it, whichever edge parsed it. */
export const auditSearchInput = z
  .object({
    from: z.date().optional(),
    to: z.date().optional(),
    actor: optionalText("actor"),
    actorType: z.enum(AUDIT_ACTOR_TYPES, { error: `actorType is one of ${AUDIT_ACTOR_TYPES.join(", ")}.` }).optional(),
    action: z.enum(AUDIT_ACTIONS, { error: "action is one of the audit catalogue's actions (see the OpenAPI document)." }).optional(),
    targetType: z.enum(AUDIT_TARGET_TYPES, { error: `targetType is one of ${AUDIT_TARGET_TYPES.join(", ")}.` }).optional(),
    target: optionalText("target"),
    limit: z
      .number()
      .int()
      .min(1, { error: `limit is from 1 to ${AUDIT_PAGE_MAX}.` })
      .max(AUDIT_PAGE_MAX, { error: `limit is from 1 to ${AUDIT_PAGE_MAX}.` })
      .default(AUDIT_PAGE_DEFAULT),
    cursor: z.string().max(200, { error: "cursor is not one this server gave out." }).optional(),
  })
  .refine((s) => !s.from || !s.to || s.from < s.to, { error: "from must be before to.", path: ["from"] });
export type AuditSearchInput = z.input<typeof auditSearchInput>;

const instant = (name: string) =>
  z.iso
    .datetime({ offset: true, error: `${name} is an ISO 8601 date-time with a time zone, like 2026-01-31T00:00:00Z.` })
    .transform((v) => new Date(v))
    .optional();

/** The management API's query parameters, all strings; each endpoint's own are strict (unknownParameter). */
const auditQueryShape = {
  from: instant("from"),
  to: instant("to"),
  actor: z.string().optional(),
  actorType: z.string().optional(),
  action: z.string().optional(),
  targetType: z.string().optional(),
  target: z.string().optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, { error: `limit is a whole number from 1 to ${AUDIT_PAGE_MAX}.` })
    .transform(Number)
    .optional(),
  cursor: z.string().optional(),
};

/** A misspelt filter is refused rather than ignored, so no one reads an unfiltered page as a filtered one. */
const unknownParameter = (filters: string) => ({
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === "unrecognized_keys"
      ? `Unknown query parameter ${(issue.keys ?? []).join(", ")}; the filters are ${filters}.`
      : undefined,
});

/** GET /api/v1/audit-events: an organisation's audit log. */
export const auditQueryParams = z
  .strictObject(auditQueryShape, unknownParameter("from, to, actor, actorType, action, targetType, target, limit and cursor"))
  .pipe(auditSearchInput);

/**
 * GET /api/v1/platform/audit-events: the same filters across organisations, and `organisation`,
 * one organisation's slug (the endpoint looks it up).
 */
export const platformAuditQueryParams = z
  .strictObject(
    { ...auditQueryShape, organisation: z.string().max(100, { error: "organisation is an organisation's slug." }).optional() },
    unknownParameter("organisation, from, to, actor, actorType, action, targetType, target, limit and cursor"),
  )
  .pipe(z.object({ organisation: z.string().optional() }).and(auditSearchInput));
