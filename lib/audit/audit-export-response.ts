import type { OrganisationContext, PlatformContext } from "@/lib/context";
import type { AuditEventView } from "./audit-event-view";
import { auditCsvHeader, auditCsvRow, auditJsonLine } from "./audit-export";
import { auditSearchOf, parseAuditFilter } from "./audit-filter";
import { parsePlatformAuditFilter, platformAuditSearchOf } from "./platform-audit-filter";
import { eachAuditEvent, eachPlatformAuditEvent, searchAuditEvents, searchPlatformAuditEvents } from "./search-audit-events";

/*
 * The exports' responses (docs/domain.md, "The audit log"): the filters parsed like the page's,
 * authorized by the use case before the first byte (so a refusal is a status, not a broken
 * download), then every matching event streamed page by page, never the whole set in memory.
 */

type ExportFormat = "csv" | "jsonl";
const formatOf = (params: URLSearchParams): ExportFormat | null =>
  params.get("format") === "jsonl" ? "jsonl" : params.get("format") === "csv" ? "csv" : null;

/** A refused export in words: a status and a sentence, never a page of HTML in a download. */
export const exportRefusal = (status: number, words: string) =>
  new Response(words, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
const noFormat = () => exportRefusal(422, "Choose format=csv or format=jsonl.");

/** An organisation's export (Manage > Audit log), days in its time zone. */
export async function auditFilterExport(ctx: OrganisationContext, params: URLSearchParams): Promise<Response> {
  const format = formatOf(params);
  if (!format) return noFormat();
  const { cursor: _ignored, ...filter } = auditSearchOf(parseAuditFilter(Object.fromEntries(params)), ctx.organisation.timeZone);
  // Authorizes (and throws) before the stream starts.
  await searchAuditEvents(ctx, { ...filter, limit: 1 });
  return streamedExport(format, `audit-${ctx.organisation.slug}`, eachAuditEvent(ctx, filter));
}

/** The operator's export (Platform > Audit log): every organisation's events, or one's; UTC days. */
export async function platformAuditFilterExport(ctx: PlatformContext, params: URLSearchParams): Promise<Response> {
  const format = formatOf(params);
  if (!format) return noFormat();
  const chosen = await parsePlatformAuditFilter(ctx.db, Object.fromEntries(params));
  const { cursor: _ignored, ...filter } = platformAuditSearchOf(chosen);
  // Authorizes (and throws) before the stream starts.
  await searchPlatformAuditEvents(ctx, { ...filter, limit: 1 });
  const name = chosen.organisation ? `audit-platform-${chosen.organisation.slug}` : "audit-platform";
  return streamedExport(format, name, eachPlatformAuditEvent(ctx, filter));
}

function streamedExport(format: ExportFormat, name: string, events: AsyncGenerator<AuditEventView>): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (format === "csv") controller.enqueue(encoder.encode(auditCsvHeader()));
    },
    async pull(controller) {
      const next = await events.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(format === "csv" ? auditCsvRow(next.value) : auditJsonLine(next.value)));
    },
    async cancel() {
      await events.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8; header=present" : "application/jsonl; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}-${day}.${format}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
