import { randomBytes } from "node:crypto";
import { type NextRequest, NextResponse } from "next/server";
import { signInPathFor } from "@/lib/auth/return-to";
import { SESSION_COOKIE_NAMES } from "@/lib/auth/session-cookie";
import { env } from "@/lib/env";
import { baselineHeaders, pageCsp } from "@/lib/http/security-headers";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/log/request-context";

/**
 * Runs before every request but Next's static files (docs/security.md):
 * - a path whose percent-encoding is not UTF-8 is a 400, not Next's 500;
 * - a POST from another origin is refused with 403, judged against the configured public origin,
 *   never against Host or X-Forwarded-Host (which the caller chooses). Once it is ours, Next's
 *   own server-action check is told the public host, so a proxy that rewrites Host does not break
 *   every form;
 * - a page's form body over Next's 1 MB server-action limit is a 413, not a 500;
 * - every answer gets the baseline security headers and an X-Request-Id (the caller's when it is a
 *   safe token, else a new one; passed on to the handler too: docs/observability.md), and every
 *   page a fresh nonce with a Content-Security-Policy built on it;
 * - people without a session cookie are sent to sign-in before anything renders. That is only
 *   optimistic: every page and action authorizes itself (Next.js data-security guide).
 */
const SIGNED_IN_AREAS = /^\/(orgs(\/|$)|account$|platform$)/;
/**
 * Machine paths and route handlers: JSON, no nonce, their own handlers set the rest. The health
 * probes and the metrics are among them (no redirect to sign-in, no CSP work per poll;
 * lib/health/readiness.ts, lib/metrics).
 */
const NOT_PAGES = /^\/((oauth|\.well-known|api|metrics)(\/|$)|(healthz|readyz)$)/;
const MAX_FORM_BYTES = 1024 * 1024;

function refuse(status: number, message: string, headers: Record<string, string>): NextResponse {
  return new NextResponse(message, {
    status,
    headers: { ...headers, "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

export function proxy(request: NextRequest) {
  const e = env();
  const publicUrl = new URL(e.ROTOR_PUBLIC_URL);
  // The self-hosted server has decided it already (lib/oauth/node-adapter.ts); requestIdFrom keeps it.
  const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
  const headers = { ...baselineHeaders(e.ROTOR_PUBLIC_URL), "X-Request-Id": requestId };
  const { pathname } = request.nextUrl;
  try {
    decodeURIComponent(pathname);
  } catch {
    return refuse(400, "This address has malformed percent-encoding.", headers);
  }
  const page = !NOT_PAGES.test(pathname);
  const forwarded = new Headers(request.headers);
  forwarded.set(REQUEST_ID_HEADER, requestId);
  if (request.method === "POST") {
    // A browser always says where a cross-site POST comes from; a request with no Origin at all
    // is no browser, so no one's session can be ridden, and authorization alone decides.
    const origin = request.headers.get("origin");
    if (origin !== null && origin !== publicUrl.origin) {
      return refuse(403, "This form was sent from another site, so it was refused. Open the page again and retry.", headers);
    }
    if (page && Number(request.headers.get("content-length") ?? 0) > MAX_FORM_BYTES) {
      return refuse(413, "This form is larger than 1 MB. Shorten what you pasted and try again.", headers);
    }
    forwarded.set("x-forwarded-host", publicUrl.host);
    forwarded.set("x-forwarded-proto", publicUrl.protocol.replace(":", ""));
  }
  if (!page) {
    const response = NextResponse.next({ request: { headers: forwarded } });
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  }
  if (SIGNED_IN_AREAS.test(pathname) && !SESSION_COOKIE_NAMES.some((name) => request.cookies.has(name))) {
    // Built from the public origin: a Location header never echoes the request's Host.
    // The page asked for rides along (a reminder's "Open the API tab" link), checked on the way back.
    return NextResponse.redirect(new URL(signInPathFor(`${pathname}${request.nextUrl.search}`, e.ROTOR_PUBLIC_URL), e.ROTOR_PUBLIC_URL), {
      headers,
    });
  }
  const nonce = randomBytes(16).toString("base64");
  const csp = pageCsp(nonce, e.ROTOR_PUBLIC_URL, {
    // NODE_ENV is a build-time constant Next inlines, not configuration (lib/env.ts reads the rest).
    development: process.env.NODE_ENV === "development",
    signInOrigin: e.OIDC_ISSUER ? new URL(e.OIDC_ISSUER).origin : undefined,
  });
  forwarded.set("x-nonce", nonce);
  forwarded.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: forwarded } });
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Everything but Next's own static files (hashed, immutable, served with nosniff by next.config.ts).
  matcher: ["/((?!_next/static|_next/image).*)"],
};
