import { OAuthError } from "./errors";

/**
 * The scope (RFC 6749 3.3) and the audience (Auth0's `audience`, RFC 8707's `resource`) a token
 * is for, checked against what the client may have.
 */
export function selectScope(requested: string | undefined, allowed: readonly string[]): string {
  if (requested === undefined || requested.trim() === "") return allowed.join(" ");
  const wanted = [...new Set(requested.split(" ").filter(Boolean))];
  const refused = wanted.filter((s) => !allowed.includes(s));
  if (refused.length > 0) {
    throw new OAuthError(
      "invalid_scope",
      `This client may not have the scope ${refused.map((s) => `"${s.slice(0, 60)}"`).join(", ")}${allowed.length ? `; it may have: ${allowed.join(" ")}` : ""}.`,
    );
  }
  return wanted.join(" ");
}

export function selectAudience(
  audience: string | undefined,
  resource: string | undefined,
  allowed: readonly string[],
  fallback: string,
): string {
  if (resource !== undefined) {
    let url: URL | null = null;
    try {
      url = new URL(resource);
    } catch {
      url = null;
    }
    if (url?.hash !== "") throw new OAuthError("invalid_target", "resource must be an absolute URI without a fragment (RFC 8707).");
  }
  if (audience !== undefined && resource !== undefined && audience !== resource) {
    throw new OAuthError("invalid_target", "audience and resource name different APIs; send one of them.");
  }
  const target = audience ?? resource;
  if (target === undefined) return allowed[0] ?? fallback;
  if (!allowed.includes(target)) {
    throw new OAuthError(
      "invalid_target",
      `This client may not get tokens for "${target.slice(0, 120)}"${allowed.length ? `; it may use: ${allowed.join(", ")}` : ""}.`,
    );
  }
  return target;
}
