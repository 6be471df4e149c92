import { holdsAPlace, isKeyLive, isLive, type KeyLifetime, placeHolders, revokeLooksRisky, type SecretLifetime } from "./secret-state";

/*
 * What a person may do to one secret or key on the API tab, and why not, from the same rules the
 * use cases enforce (lib/credentials/revoke-secret.ts, reveal-secret.ts, revoke-public-key.ts).
 * Computed once where the page's data is read (lib/data/api-details.ts), so pages and components
 * only read flags and never re-derive a rule (docs/domain.md: a client keeps one live secret).
 */

export const TWO_LIVE_SECRETS =
  "This client already has two live secrets, the most allowed. Once your systems use the new secret, revoke the old one and rotate again; if a secret has leaked, use rotate after a compromise instead.";
export const LAST_LIVE_SECRET_MESSAGE =
  "This is the client's last live secret: revoking it would cut off every system that uses this client. Rotate first, move your systems to the new secret, then revoke this one.";
export const SHOW_ONCE_MESSAGE =
  "Your organisation's policy is show-once: a secret is shown only when it is created. Rotate to get a new secret.";
export const NOT_STORED_MESSAGE = "This secret was created under the show-once policy and cannot be shown again. Rotate to get a new one.";
export const ENDED_SECRET_MESSAGE = "This secret is already revoked or expired.";
export const GONE_SECRET_MESSAGE = "This secret is revoked or expired; there is nothing to show.";
export const ENDED_KEY_MESSAGE = "This key is already revoked or expired.";

/** What the viewer's role allows in this organisation (lib/auth/permissions.ts). */
export interface SecretPermissions {
  rotate: boolean;
  reveal: boolean;
}

/**
 * Each `can…` flag comes with the reason it is false for someone whose role allows the action
 * but who still cannot take it here. The reason is null when the action is allowed, and when the
 * role does not allow it at all (the page says that once, not on every row).
 */
export interface SecretFlags {
  canRevoke: boolean;
  revokeBlockedReason: string | null;
  /** Rotor's records say the systems still use it (used in the last day, the new one never): the client ID must be typed. */
  revokeNeedsClientId: boolean;
  canReveal: boolean;
  revealBlockedReason: string | null;
}

export interface KeyFlags {
  canRevoke: boolean;
  revokeBlockedReason: string | null;
}

type Verdict = { can: boolean; reason: string | null };
const yes: Verdict = { can: true, reason: null };
const notTheirs: Verdict = { can: false, reason: null };
const no = (reason: string): Verdict => ({ can: false, reason });

type Used = { id?: string; lastUsedAt?: Date | null };

export function secretFlags(
  secret: SecretLifetime & Used & { hasStoredValue: boolean },
  clientSecrets: readonly (SecretLifetime & Used)[],
  revealPolicy: "reveal" | "show_once",
  may: SecretPermissions,
  now: Date,
): SecretFlags {
  const revoke = revokeVerdict(secret, clientSecrets, may, now);
  const reveal = revealVerdict(secret, revealPolicy, may, now);
  const others = placeHolders(clientSecrets, now).filter((s) => s !== secret && (s.id === undefined || s.id !== secret.id));
  const needsClientId =
    revoke.can &&
    revokeLooksRisky(
      { lastUsedAt: secret.lastUsedAt ?? null },
      others.map((s) => ({ lastUsedAt: s.lastUsedAt ?? null })),
      now,
    );
  return {
    canRevoke: revoke.can,
    revokeBlockedReason: revoke.reason,
    revokeNeedsClientId: needsClientId,
    canReveal: reveal.can,
    revealBlockedReason: reveal.reason,
  };
}

function revokeVerdict(secret: SecretLifetime, clientSecrets: readonly SecretLifetime[], may: SecretPermissions, now: Date): Verdict {
  if (!may.rotate) return notTheirs;
  if (!holdsAPlace(secret, now)) return no(ENDED_SECRET_MESSAGE);
  return placeHolders(clientSecrets, now).length > 1 ? yes : no(LAST_LIVE_SECRET_MESSAGE);
}

function revealVerdict(
  secret: SecretLifetime & { hasStoredValue: boolean },
  revealPolicy: "reveal" | "show_once",
  may: SecretPermissions,
  now: Date,
): Verdict {
  if (!may.reveal) return notTheirs;
  if (revealPolicy !== "reveal") return no(SHOW_ONCE_MESSAGE);
  if (!isLive(secret, now)) return no(GONE_SECRET_MESSAGE);
  return secret.hasStoredValue ? yes : no(NOT_STORED_MESSAGE);
}

/** A key can be revoked while it is still accepted (active or expiring), by whoever may rotate. */
export function keyFlags(key: KeyLifetime, may: SecretPermissions, now: Date): KeyFlags {
  const verdict = !may.rotate ? notTheirs : isKeyLive(key, now) ? yes : no(ENDED_KEY_MESSAGE);
  return { canRevoke: verdict.can, revokeBlockedReason: verdict.reason };
}

/** Whether a new secret can be issued beside the client's live ones (never a third), and why not. */
export function rotateBlockedReason(clientSecrets: readonly SecretLifetime[], now: Date): string | null {
  return placeHolders(clientSecrets, now).length >= 2 ? TWO_LIVE_SECRETS : null;
}
