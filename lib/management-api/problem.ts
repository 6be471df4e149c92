import type { DomainErrorCode } from "@/lib/errors";

/** RFC 9457 problem details. Never a stack trace, never a secret. */
export function problem(
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: HeadersInit = {},
): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail, ...extra }), {
    status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...headers },
  });
}

export const STATUS_FOR: Record<DomainErrorCode, { status: number; title: string }> = {
  invalid: { status: 422, title: "Unprocessable content" },
  not_found: { status: 404, title: "Not found" },
  forbidden: { status: 403, title: "Forbidden" },
  conflict: { status: 409, title: "Conflict" },
  gone: { status: 410, title: "Gone" },
};
