/**
 * The response headers every answer carries (docs/security.md, "Headers"): pages from the proxy,
 * machine paths from both mounts. One definition, so the two mounts cannot drift apart.
 */

/** Browser features Rotor never uses, switched off for the page and anything it might embed. */
export const PERMISSIONS_POLICY =
  "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()";

/** Two years, subdomains included: sent only when the public URL is https (RFC 6797 7.2). */
export const HSTS = "max-age=63072000; includeSubDomains";

export function baselineHeaders(publicUrl: string): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(publicUrl.startsWith("https://") ? { "Strict-Transport-Security": HSTS } : {}),
  };
}

/** JSON for machines: nothing in it may load or be framed. */
export const MACHINE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The pages' policy: scripts only from our origin and with this response's nonce (Next.js puts it on
 * its own scripts, docs in node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md),
 * no inline script ever; 'strict-dynamic' lets those scripts load their chunks. The e-mail previews
 * of the development mailbox are sandboxed srcdoc frames, allowed by frame-src 'self'.
 */
export function pageCsp(nonce: string, publicUrl: string, options: { development: boolean; signInOrigin?: string }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    // Style attributes (React's style props, the inline styles of e-mail previews, which srcdoc
    // frames inherit the policy for) cannot carry a nonce; they cannot run code either.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    // The OIDC sign-in form's answer redirects to the provider, which form-action also governs.
    `form-action 'self'${options.signInOrigin ? ` ${options.signInOrigin}` : ""}`,
    "frame-ancestors 'none'",
    ...(publicUrl.startsWith("https://") ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}
