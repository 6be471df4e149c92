import { randomBytes } from "node:crypto";
import { type NextRequest, NextResponse } from "next/server";
import { SESSION_COOKIE_NAMES } from "@/lib/auth/session-cookie";
import { env } from "@/lib/env";
import { baselineHeaders, pageCsp } from "@/lib/http/security-headers";

/**
 * Runs before every page and server action (docs/security.md):
 * - a server action posted from another origin is refused with 403, judged against the configured
 *   public origin, never against Host or X-Forwarded-Host (which the caller chooses); Next's own
 *   check compares Origin with those headers and answers a mismatch with a 500;
 * - every page gets a fresh nonce and a Content-Security-Policy built on it, and the baseline
 *   security headers;
 * - people without a session cookie are sent to sign-in before anything renders. That is only
 *   optimistic: every page and action authorizes itself (Next.js data-security guide).
 */
const SIGNED_IN_AREAS = /^\/(orgs(\/|$)|account$|platform$)/;

export function proxy(request: NextRequest) {
  const e = env();
  const headers = baselineHeaders(e.ROTOR_PUBLIC_URL);
  if (request.method === "POST") {
    // Every page POST is a server action (with JavaScript, or a plain form without). A browser
    // always says where a cross-site POST comes from; a request with no Origin at all is no
    // browser, so no one's session can be ridden, and authorization alone decides.
    const origin = request.headers.get("origin");
    if (origin !== null && origin !== e.ROTOR_PUBLIC_URL) {
      return new NextResponse("This form was sent from another site, so it was refused. Open the page again and retry.", {
        status: 403,
        headers: { ...headers, "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      });
    }
  }
  const { pathname } = request.nextUrl;
  if (SIGNED_IN_AREAS.test(pathname) && !SESSION_COOKIE_NAMES.some((name) => request.cookies.has(name))) {
    // Built from the public origin: a Location header never echoes the request's Host.
    return NextResponse.redirect(new URL("/signin", e.ROTOR_PUBLIC_URL), { headers });
  }
  const nonce = randomBytes(16).toString("base64");
  const csp = pageCsp(nonce, e.ROTOR_PUBLIC_URL, {
    development: process.env.NODE_ENV === "development",
    signInOrigin: e.OIDC_ISSUER ? new URL(e.OIDC_ISSUER).origin : undefined,
  });
  const forwarded = new Headers(request.headers);
  forwarded.set("x-nonce", nonce);
  forwarded.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: forwarded } });
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Pages and server actions; not the machine paths (their own core sets their headers) nor
  // Next's static files.
  matcher: ["/((?!oauth/|\\.well-known/|api/|_next/static|_next/image|favicon.ico).*)"],
};
