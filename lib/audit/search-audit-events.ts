import { authorize, authorizeOperator, type OrganisationContext, type PlatformContext } from "@/lib/context";
import { searchAuditEvents as searchRows } from "@/lib/data/audit-search";
import { decodeAuditCursor, encodeAuditCursor } from "./audit-cursor";
import { type AuditEventView, toAuditEventView } from "./audit-event-view";
import { AUDIT_PAGE_MAX, type AuditSearchInput, auditSearchInput } from "./schemas";

export interface AuditPage {
  events: AuditEventView[];
  /** The cursor of the next (older) page; null on the last page. */
  nextCursor: string | null;
  /** The cursor of the page before (newer events); null on the first page. */
  newerCursor: string | null;
}

/**
 * An organisation's audit log, filtered, a page at a time (docs/domain.md, "The audit log"): for
 * its admins and its designated user ("audit.view"), and for the platform operator.
 */
export async function searchAuditEvents(ctx: OrganisationContext, input: AuditSearchInput): Promise<AuditPage> {
  if (!ctx.isOperator) authorize(ctx, "audit.view");
  return search(ctx, ctx.organisation.id, input);
}

/** Every organisation's audit log, or one's (`organisationId`), for the platform operator only. */
export async function searchPlatformAuditEvents(
  ctx: PlatformContext,
  input: AuditSearchInput & { organisationId?: string | undefined },
): Promise<AuditPage> {
  authorizeOperator(ctx);
  return search(ctx, input.organisationId, input);
}

async function search(ctx: PlatformContext, organisationId: string | undefined, input: AuditSearchInput): Promise<AuditPage> {
  const { cursor, limit, ...filter } = auditSearchInput.parse(input);
  const after = cursor ? decodeAuditCursor(cursor) : null;
  // One more than the page: whether it exists says whether there is a next page.
  const rows = await searchRows(ctx.db, { organisationId, ...filter }, after, limit + 1);
  const more = rows.length > limit;
  // A page of newer events comes nearest-first: turn it round to newest first.
  const page = after?.direction === "newer" ? rows.slice(0, limit).reverse() : rows.slice(0, limit);
  const first = page[0];
  const last = page.at(-1);
  const at = (row: (typeof page)[number], direction: "older" | "newer") =>
    encodeAuditCursor({ occurredAt: row.occurred_at, id: row.id, direction });
  const olderExist = after?.direction === "newer" ? true : more;
  const newerExist = after === null ? false : after.direction === "older" ? true : more;
  return {
    events: page.map((row) => toAuditEventView(row)),
    nextCursor: olderExist && last ? at(last, "older") : null,
    newerCursor: newerExist && first ? at(first, "newer") : null,
  };
}

/** Every matching event, page by page, for an export: never the whole set in memory at once. */
export function eachAuditEvent(
  ctx: OrganisationContext,
  input: Omit<AuditSearchInput, "cursor" | "limit">,
): AsyncGenerator<AuditEventView> {
  return everyPage((cursor) => searchAuditEvents(ctx, { ...input, cursor, limit: AUDIT_PAGE_MAX }));
}

/** The operator's export: every matching event of every organisation (or one), page by page. */
export function eachPlatformAuditEvent(
  ctx: PlatformContext,
  input: Omit<AuditSearchInput, "cursor" | "limit"> & { organisationId?: string | undefined },
): AsyncGenerator<AuditEventView> {
  return everyPage((cursor) => searchPlatformAuditEvents(ctx, { ...input, cursor, limit: AUDIT_PAGE_MAX }));
}

async function* everyPage(pageAt: (cursor: string | undefined) => Promise<AuditPage>): AsyncGenerator<AuditEventView> {
  let cursor: string | undefined;
  do {
    const page = await pageAt(cursor);
    yield* page.events;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
