/** Plain-language lines for the activity list; from metadata that never holds a secret value. */
export function describeAuditEvent(
  action: string,
  metadata: Record<string, unknown>,
  formatDay: (isoDay: string) => string = (isoDay) => isoDay,
): string {
  const client = typeof metadata.client === "string" ? ` of client ${metadata.client}` : "";
  const tail = typeof metadata.maskedTail === "string" ? ` ending ${metadata.maskedTail}` : "";
  const kid = typeof metadata.kid === "string" ? ` ${metadata.kid.slice(0, 16)}` : "";
  const clientId = typeof metadata.clientId === "string" ? ` ${metadata.clientId}` : client;
  const person = typeof metadata.email === "string" ? ` of ${metadata.email}` : "";
  const who = typeof metadata.email === "string" ? ` ${metadata.email}` : " a user";
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
      return typeof metadata.name === "string" ? `created the personal API token ${quoted(metadata.name)}` : "created a personal API token";
    case "api_token.revoked":
      return typeof metadata.name === "string" ? `revoked the personal API token ${quoted(metadata.name)}` : "revoked a personal API token";
    case "user.deactivated":
      return `de-activated${who}`;
    case "user.office_changed":
      return typeof metadata.to === "string" ? `moved${who} to ${metadata.to}` : `cleared the office${person}`;
    case "user.invitation_resent":
      return `sent the invitation to${who} again`;
    case "secret.expired":
      return `recorded that the secret${tail}${client} expired`;
    case "key.expired":
      return `recorded that key${kid}${client} expired`;
    case "client.created":
      return `created client ${quoted(metadata.name)}${clientId}`;
    case "client.settings_updated":
      return `changed the settings of client${clientId}`;
    case "client.disabled":
      return `disabled client${clientId}`;
    case "client.enabled":
      return `enabled client${clientId} again`;
    case "office.added":
      return `added the office ${quoted(metadata.name)}`;
    case "office.updated":
      return `changed the office ${quoted(metadata.name)}`;
    case "office.closed":
      return `closed the office ${quoted(metadata.name)}`;
    case "office.reopened":
      return `reopened the office ${quoted(metadata.name)}`;
    case "organisation.created":
      return `created the organisation ${quoted(metadata.name)}`;
    case "operator.added":
      return `made ${text(metadata.email, "someone")} a platform operator`;
    case "operator.removed":
      return `removed ${text(metadata.email, "someone")} from the platform operators`;
    case "platform.limits_updated":
      return "changed the platform's limits";
    case "session.demo_sign_in":
      return "signed in to the demo";
    case "user.invited":
      return `invited ${text(metadata.email, "a user")} as ${roleName(metadata.role)}`;
    case "user.role_changed":
      return `changed the role${person} from ${roleName(metadata.from)} to ${roleName(metadata.to)}`;
    case "user.reactivated":
      return `re-activated${who}`;
    case "user.spoc_designated":
      return `made ${text(metadata.email, "someone")} the designated user (SPOC)`;
    case "webhook.created":
      return `added the webhook endpoint ${text(metadata.url, "(unknown)")}`;
    case "webhook.updated":
      return `changed the webhook endpoint ${text(metadata.url, "(unknown)")}`;
    case "webhook.deleted":
      return `deleted the webhook endpoint ${text(metadata.url, "(unknown)")}`;
    case "webhook.disabled":
      return `turned off the webhook endpoint ${text(metadata.url, "(unknown)")}`;
    case "webhook.enabled":
      return `turned on the webhook endpoint ${text(metadata.url, "(unknown)")}`;
    case "webhook.secret_rotated":
      return `rotated the signing secret of the webhook endpoint ${text(metadata.url, "(unknown)")}`;
    default:
      // An action this list does not know yet still reads as words, never as a raw name.
      return action.replace(/[._]/g, " ");
  }
}

const text = (value: unknown, otherwise: string) => (typeof value === "string" && value !== "" ? value : otherwise);
const quoted = (value: unknown) => (typeof value === "string" ? `"${value}"` : "(unnamed)");

const ROLE_WORDS: Record<string, string> = { admin: "organisation admin", spoc: "designated user (SPOC)", member: "member" };
const roleName = (value: unknown) => (typeof value === "string" ? (ROLE_WORDS[value] ?? value) : "none");
