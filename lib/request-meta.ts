/** Where a request came from, for the audit trail: the first X-Forwarded-For hop and the user agent. */
export function clientAddress(headers: { get(name: string): string | null }): { ip: string | null; userAgent: string | null } {
  return {
    ip: headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null,
    userAgent: headers.get("user-agent"),
  };
}
