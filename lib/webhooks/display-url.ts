/**
 * An endpoint's address as the audit log and e-mails show it: its origin and path, never its query
 * or fragment. Some receivers put a token in the query (?token=…); the signature makes that
 * unnecessary, but where it is done the token must not reach the audit trail, its exports or an
 * inbox (docs/webhooks.md, "Registering an endpoint"). The portal shows the whole URL to the
 * endpoint's own managers only.
 */
export function displayUrl(url: string): string {
  if (!URL.canParse(url)) return "(not a URL)";
  const u = new URL(url);
  return `${u.origin}${u.pathname}${u.search || u.hash ? "?…" : ""}`;
}
