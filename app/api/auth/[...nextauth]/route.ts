import { handlers } from "@/lib/auth/config";

/**
 * Auth.js's endpoints, except one: asking for an e-mailed sign-in link goes only through the sign-in
 * page's action, where the rate limits apply and every address gets the same answer at once
 * (docs/security.md, "Sign-in links"). Auth.js's own /signin/email would skip both, and its answer
 * differs for an invited address.
 */
const closed = (request: Request) => new URL(request.url).pathname.endsWith("/signin/email");

const notFound = () =>
  new Response(JSON.stringify({ error: "not_found", error_description: "Ask for a sign-in link on the sign-in page." }), {
    status: 404,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });

export const GET = (request: Parameters<typeof handlers.GET>[0]) => (closed(request) ? notFound() : handlers.GET(request));
export const POST = (request: Parameters<typeof handlers.POST>[0]) => (closed(request) ? notFound() : handlers.POST(request));
