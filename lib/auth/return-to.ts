/**
 * Where to go after signing in, from a `next` parameter that anyone can write into a link: only a
 * path of this portal's signed-in areas is kept, never another origin ("//evil.example",
 * "/\\evil.example", "https://..."), so a sign-in link cannot become an open redirect
 * (docs/security.md, "The public origin").
 */
const SIGNED_IN_AREAS = /^\/(orgs|account|platform)(\/|\?|$)/;
const MAX_LENGTH = 512;

export function safeReturnPath(value: unknown, publicUrl: string): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return null;
  // Visible ASCII only: no spaces, control characters or backslashes that browsers reinterpret.
  if (!/^[\x21-\x5b\x5d-\x7e]+$/.test(value)) return null;
  if (!value.startsWith("/") || value.startsWith("//")) return null;
  const base = new URL(publicUrl);
  const url = new URL(value, base);
  if (url.origin !== base.origin) return null;
  const path = `${url.pathname}${url.search}`;
  return SIGNED_IN_AREAS.test(path) ? path : null;
}

/** The sign-in page's address that brings the person back to `path` afterwards. */
export function signInPathFor(path: string, publicUrl: string): string {
  const back = safeReturnPath(path, publicUrl);
  return back ? `/signin?next=${encodeURIComponent(back)}` : "/signin";
}
