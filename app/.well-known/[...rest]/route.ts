import { notFoundHandlers, oauthNotFound } from "@/lib/oauth/not-found";

// Anything under this prefix that no route serves: JSON, not the HTML page (lib/oauth/not-found.ts).
export const dynamic = "force-dynamic";
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = notFoundHandlers(oauthNotFound);
