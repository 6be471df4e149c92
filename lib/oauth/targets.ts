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
      `This client may not have the scope ${refused.map((s) => s.slice(0, 60)).join(", ")}${allowed.length ? `; it may have: ${allowed.join(" ")}` : ""}.`,
    );
  }
  return wanted.join(" ");
}

/**
 * A client's audiences: the ones it was given, or, when it was given none, the platform's own API
 * (`<issuer>/api/v1`). Its default is chosen explicitly among them (docs/domain.md, "Clients").
 */
export function clientAudiences(
  client: { allowedAudiences: readonly string[]; defaultAudience: string | null },
  platformApi: string,
): { audiences: readonly string[]; defaultAudience: string } {
  if (client.allowedAudiences.length === 0) return { audiences: [platformApi], defaultAudience: platformApi };
  return { audiences: client.allowedAudiences, defaultAudience: client.defaultAudience ?? platformApi };
}

export function selectAudience(
  audience: string | undefined,
  resource: string | undefined,
  client: { allowedAudiences: readonly string[]; defaultAudience: string | null },
  platformApi: string,
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
  const { audiences, defaultAudience } = clientAudiences(client, platformApi);
  const target = audience ?? resource;
  if (target === undefined) return defaultAudience;
  // The default is one of the client's audiences, so naming it is always allowed.
  if (!audiences.includes(target)) {
    throw new OAuthError(
      "invalid_target",
      `This client may not get tokens for ${target.slice(0, 120)}; it may use: ${audiences.join(", ")}.`,
    );
  }
  return target;
}
