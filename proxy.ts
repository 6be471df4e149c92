import { type NextRequest, NextResponse } from "next/server";
import { SESSION_COOKIE_NAMES } from "@/lib/auth/session-cookie";

/**
 * Optimistic only: sends people without a session cookie to sign-in before rendering anything.
 * It is never the security boundary; every page and action authorizes itself (Next.js
 * data-security guide).
 */
export function proxy(request: NextRequest) {
  const hasSession = SESSION_COOKIE_NAMES.some((name) => request.cookies.has(name));
  if (hasSession) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = "/signin";
  url.search = "";
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/orgs/:path*", "/account", "/platform"],
};
