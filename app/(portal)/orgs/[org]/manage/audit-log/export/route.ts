import { auditFilterExport, exportRefusal } from "@/lib/audit/audit-export-response";
import { organisationAccessForRoute } from "@/lib/auth/caller";
import { getDb } from "@/lib/data/database";

/**
 * Downloads every audit event matching the tab's filters as CSV or JSON Lines (docs/domain.md,
 * "The audit log"), streamed a page at a time. Authorized here like the tab: the organisation's
 * admins and designated user; 404 to anyone outside it, 403 to a member.
 */
export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }): Promise<Response> {
  const { org } = await params;
  const decided = await organisationAccessForRoute(org, "audit.view");
  if (!decided.ok) {
    const words = {
      401: "Sign in to export the audit log.",
      403: "Your role in this organisation does not allow reading its audit log.",
      404: "Not found.",
    };
    return exportRefusal(decided.status, words[decided.status]);
  }
  const { caller, organisation, role } = decided.access;
  const ctx = {
    db: await getDb(),
    organisation,
    role,
    isOperator: caller.isOperator,
    actor: { type: "user" as const, userId: caller.userId, label: caller.email ?? caller.userId },
    clock: () => new Date(),
  };
  return auditFilterExport(ctx, new URL(request.url).searchParams);
}
