import { exportRefusal, platformAuditFilterExport } from "@/lib/audit/audit-export-response";
import { operatorForRoute } from "@/lib/auth/caller";
import { platformContextFor } from "@/lib/auth/organisation-context";

/**
 * Downloads every audit event matching Platform > Audit log's filters, across organisations or
 * for one, as CSV or JSON Lines (docs/domain.md, "The audit log"), streamed a page at a time.
 * Authorized here like the page: platform operators only; 404 to anyone else.
 */
export async function GET(request: Request): Promise<Response> {
  const decided = await operatorForRoute();
  if (!decided.ok) return exportRefusal(decided.status, decided.status === 401 ? "Sign in to export the audit log." : "Not found.");
  return platformAuditFilterExport(await platformContextFor(decided.caller), new URL(request.url).searchParams);
}
