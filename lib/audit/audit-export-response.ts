import type { OrganisationContext } from "@/lib/context";
import { auditCsvHeader, auditCsvRow, auditJsonLine } from "./audit-export";
import { auditSearchOf, parseAuditFilter } from "./audit-filter";
import { eachAuditEvent, searchAuditEvents } from "./search-audit-events";

/**
 * The export's response: the filters parsed like the tab's, authorized by the use case before the
 * first byte (so a refusal is a status, not a broken download), then every matching event
 * streamed page by page, never the whole set in memory.
 */
export async function auditFilterExport(ctx: OrganisationContext, params: URLSearchParams): Promise<Response> {
  const format = params.get("format") === "jsonl" ? "jsonl" : params.get("format") === "csv" ? "csv" : null;
  if (!format) {
    return new Response("Choose format=csv or format=jsonl.", { status: 422, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const { cursor: _ignored, ...filter } = auditSearchOf(parseAuditFilter(Object.fromEntries(params)), ctx.organisation.timeZone);
  // Authorizes (and throws) before the stream starts.
  await searchAuditEvents(ctx, { ...filter, limit: 1 });
  const encoder = new TextEncoder();
  const events = eachAuditEvent(ctx, filter);
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
  const name = `audit-${ctx.organisation.slug}-${day}.${format}`;
  return new Response(stream, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8; header=present" : "application/jsonl; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
