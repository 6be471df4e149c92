/** Plain-language lines for the activity list; from metadata that never holds a secret value. */
export function describeAuditEvent(
  action: string,
  metadata: Record<string, unknown>,
  formatDay: (isoDay: string) => string = (isoDay) => isoDay,
): string {
  const client = typeof metadata.client === "string" ? ` of client ${metadata.client}` : "";
  const tail = typeof metadata.maskedTail === "string" ? ` ending ${metadata.maskedTail}` : "";
  const kid = typeof metadata.kid === "string" ? ` ${metadata.kid.slice(0, 16)}` : "";
  switch (action) {
    case "secret.rotated":
      return typeof metadata.previousSecretLastDay === "string"
        ? `rotated the secret${client}; the old secret's last day was moved to ${formatDay(metadata.previousSecretLastDay)}`
        : `rotated the secret${client}`;
    case "secret.rotated_after_compromise":
      return `rotated after a compromise, revoking every older secret${client}`;
    case "secret.auto_issued":
      return `issued the next secret automatically${client}`;
    case "secret.revoked":
      return `revoked the secret${tail}${client}`;
    case "secret.revealed":
      return `revealed the secret${tail}${client}`;
    case "key.registered":
      // Events written before EC keys were accepted carry no type (all RSA).
      return metadata.type === "EC" ? `registered EC P-256 key${kid}${client}` : `registered key${kid}${client}`;
    case "key.revoked":
      return `revoked key${kid}${client}`;
    case "client.jwks_uri_changed":
      return metadata.to ? `set the JWKS URL${client} to ${String(metadata.to).slice(0, 120)}` : `removed the JWKS URL${client}`;
    case "policy.updated":
      return "changed the rotation policy";
    case "api_token.created":
      return "created a personal API token";
    case "api_token.revoked":
      return "revoked a personal API token";
    case "user.deactivated":
      return "de-activated a user";
    case "user.office_changed":
      return typeof metadata.to === "string" ? `moved a user to ${metadata.to}` : "cleared a user's office";
    case "user.invitation_resent":
      return "sent an invitation again";
    default:
      return action.replace(/[._]/g, " ");
  }
}
