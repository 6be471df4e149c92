import { addDays, type CalendarDate, daysBetween, startOfDay, toCalendarDate } from "./calendar";

/**
 * The rotation rules of seeds 000 and 001, pure: every function takes the policy and `now`.
 *
 * A secret created on calendar day C (organisation's zone) expires on day C + validityDays and is
 * accepted until the end of that day. Seed 000: created 19/02/2022, expires 18/08/2022; the next
 * secret is created at expiry - overlapDays (19/07/2022) and both are accepted until the old one
 * expires.
 */

export interface RotationPolicy {
  timeZone: string;
  validityDays: number;
  overlapDays: number;
}

export interface SecretLifetime {
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export type SecretState = "active" | "expiring" | "in_overlap" | "expired" | "revoked";

/** The expiry day of a secret created at `createdAt`, and the instant it stops being accepted. */
export function secretExpiry(createdAt: Date, policy: RotationPolicy): { expiryDate: CalendarDate; expiresAt: Date } {
  const expiryDate = addDays(toCalendarDate(createdAt, policy.timeZone), policy.validityDays);
  return { expiryDate, expiresAt: startOfDay(addDays(expiryDate, 1), policy.timeZone) };
}

/** The calendar day a stored `expiresAt` (exclusive end) belongs to. */
export function expiryDateOf(expiresAt: Date, timeZone: string): CalendarDate {
  return toCalendarDate(new Date(expiresAt.getTime() - 1), timeZone);
}

/** Seed 000: the next secret is due on the old one's expiry day minus the overlap. */
export function overlapStartDate(expiresAt: Date, policy: RotationPolicy): CalendarDate {
  return addDays(expiryDateOf(expiresAt, policy.timeZone), -policy.overlapDays);
}

export function isLive(secret: SecretLifetime, now: Date): boolean {
  return (secret.revokedAt === null || secret.revokedAt > now) && now < secret.expiresAt && secret.createdAt <= now;
}

/**
 * Takes one of the client's two places: neither revoked nor expired at `now`, whenever it was
 * created. A secret another request created a moment "after" our clock reading (or on another
 * instance whose clock runs ahead) counts too: a use case holding the client's lock judges the
 * limit with this, never with isLive, so it cannot overlook a secret it has not yet seen start.
 */
export function holdsAPlace(credential: { expiresAt: Date | null; revokedAt: Date | null }, now: Date): boolean {
  return (credential.revokedAt === null || credential.revokedAt > now) && (credential.expiresAt === null || now < credential.expiresAt);
}

/** Those holding a place, oldest first. */
export function placeHolders<T extends { createdAt: Date; expiresAt: Date | null; revokedAt: Date | null }>(
  credentials: readonly T[],
  now: Date,
): T[] {
  return credentials.filter((c) => holdsAPlace(c, now)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** Live secrets, oldest first: the first is "Current", a second is "New" (seed 000's table). */
export function liveSecrets<T extends SecretLifetime>(secrets: readonly T[], now: Date): T[] {
  return secrets.filter((s) => isLive(s, now)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export function secretSlots<T extends SecretLifetime>(secrets: readonly T[], now: Date): { current: T | null; next: T | null } {
  const live = liveSecrets(secrets, now);
  return { current: live[0] ?? null, next: live[1] ?? null };
}

export function secretState(secret: SecretLifetime, all: readonly SecretLifetime[], now: Date, policy: RotationPolicy): SecretState {
  if (secret.revokedAt !== null && secret.revokedAt <= now) return "revoked";
  if (now >= secret.expiresAt) return "expired";
  if (liveSecrets(all, now).length > 1) return "in_overlap";
  const today = toCalendarDate(now, policy.timeZone);
  return today >= overlapStartDate(secret.expiresAt, policy) ? "expiring" : "active";
}

/** Calendar days from today to the expiry day: 0 on the expiry day itself. */
export function daysLeft(expiresAt: Date, now: Date, timeZone: string): number {
  return daysBetween(toCalendarDate(now, timeZone), expiryDateOf(expiresAt, timeZone));
}

export interface UsageAware extends SecretLifetime {
  lastUsedAt: Date | null;
}

export type ClientHealth =
  | { status: "no_secret" }
  | { status: "ok" | "rotate_soon"; current: { daysLeft: number } }
  | { status: "new_secret_waiting" | "new_secret_adopted"; current: { daysLeft: number }; next: { daysLeft: number } };

/**
 * What Home shows per client: days to expiry, and whether a new secret is waiting to be adopted
 * by the integrator's systems (it has never been used to get a token).
 */
export function clientHealth(secrets: readonly UsageAware[], now: Date, policy: RotationPolicy): ClientHealth {
  const { current, next } = secretSlots(secrets, now);
  if (!current) return { status: "no_secret" };
  const currentDays = daysLeft(current.expiresAt, now, policy.timeZone);
  if (next) {
    const adopted = next.lastUsedAt !== null && (current.lastUsedAt === null || next.lastUsedAt >= current.lastUsedAt);
    return {
      status: adopted ? "new_secret_adopted" : "new_secret_waiting",
      current: { daysLeft: currentDays },
      next: { daysLeft: daysLeft(next.expiresAt, now, policy.timeZone) },
    };
  }
  return { status: currentDays <= policy.overlapDays ? "rotate_soon" : "ok", current: { daysLeft: currentDays } };
}

/** The instant a secret stops being accepted: its expiry, or its revocation if earlier. */
export function acceptedUntil(secret: SecretLifetime): Date {
  return secret.revokedAt !== null && secret.revokedAt < secret.expiresAt ? secret.revokedAt : secret.expiresAt;
}

/**
 * Seed 000: where the organisation's policy says so, the next secret is issued automatically
 * from the old one's expiry day minus the overlap, if it has no successor yet.
 */
export function autoIssueDue(secrets: readonly SecretLifetime[], now: Date, policy: RotationPolicy & { autoIssue: boolean }): boolean {
  if (!policy.autoIssue) return false;
  const live = liveSecrets(secrets, now);
  if (live.length !== 1) return false;
  const current = live[0] as SecretLifetime;
  return toCalendarDate(now, policy.timeZone) >= overlapStartDate(current.expiresAt, policy);
}

/**
 * A rotation by hand before the overlap window: the old secret stays accepted for the overlap
 * only (seed 000: "during these 30 days, both the existing and new client secrets would be
 * valid"), to the end of that calendar day, and never longer than it would have anyway.
 */
export function oldSecretExpiryAfterRotation(oldExpiresAt: Date, now: Date, policy: RotationPolicy): Date {
  const overlapEnd = startOfDay(addDays(toCalendarDate(now, policy.timeZone), policy.overlapDays + 1), policy.timeZone);
  return overlapEnd < oldExpiresAt ? overlapEnd : oldExpiresAt;
}

/** How long the old secret keeps working when a new one is issued (docs/domain.md, "Client secrets"). */
export type OldSecretChoice = "overlap" | "unchanged" | { lastDay: CalendarDate };

export type OldSecretEnd =
  | { ok: true; expiresAt: Date }
  /** The chosen last day is before today, or after the old secret's own last day. */
  | { ok: false; reason: "past" | "later"; today: CalendarDate; latestDay: CalendarDate };

/**
 * The old secret's end of acceptance after a rotation, as the person chose it: unchanged, the end
 * of the overlap counted from today (the default), or the end of a chosen day. A rotation may
 * shorten the old secret, never lengthen it, and never end it before today is over.
 */
export function oldSecretEndForChoice(oldExpiresAt: Date, now: Date, policy: RotationPolicy, choice: OldSecretChoice): OldSecretEnd {
  if (choice === "unchanged") return { ok: true, expiresAt: oldExpiresAt };
  if (choice === "overlap") return { ok: true, expiresAt: oldSecretExpiryAfterRotation(oldExpiresAt, now, policy) };
  const today = toCalendarDate(now, policy.timeZone);
  const latestDay = expiryDateOf(oldExpiresAt, policy.timeZone);
  if (daysBetween(today, choice.lastDay) < 0) return { ok: false, reason: "past", today, latestDay };
  const expiresAt = startOfDay(addDays(choice.lastDay, 1), policy.timeZone);
  if (expiresAt > oldExpiresAt) return { ok: false, reason: "later", today, latestDay };
  return { ok: true, expiresAt };
}

/** How recent a use makes revoking a secret risky (docs/domain.md, "Client secrets"). */
export const RECENT_USE_MS = 24 * 3_600_000;

/**
 * Whether revoking this secret would probably cut off a working integration: it was used within
 * the last day, and no other live secret has ever been used (the systems have not moved over).
 */
export function revokeLooksRisky(
  target: { lastUsedAt: Date | null },
  otherLiveSecrets: readonly { lastUsedAt: Date | null }[],
  now: Date,
): boolean {
  const usedRecently = target.lastUsedAt !== null && now.getTime() - target.lastUsedAt.getTime() <= RECENT_USE_MS;
  return usedRecently && otherLiveSecrets.every((s) => s.lastUsedAt === null);
}

/**
 * The reminder to send now for a credential expiring at `expiresAt`, if any (seed 000: 30, 20,
 * 10, 5 and 3 days before, and on the day). Only the most urgent threshold that is due and not
 * yet sent: after downtime a late run sends one reminder, not a burst, and a threshold larger than
 * one already sent is never sent afterwards.
 */
export function reminderDue(
  expiresAt: Date,
  now: Date,
  timeZone: string,
  offsets: readonly number[],
  alreadySent: readonly number[],
): number | null {
  const mostUrgent = reminderThreshold(expiresAt, now, timeZone, offsets);
  if (mostUrgent === null) return null;
  return alreadySent.some((t) => t <= mostUrgent) ? null : mostUrgent;
}

/** The most urgent reminder offset due today for a credential expiring at `expiresAt`, sent or not. */
export function reminderThreshold(expiresAt: Date, now: Date, timeZone: string, offsets: readonly number[]): number | null {
  // Before the expiry instant the expiry day is today or later, so `left` is never negative here.
  if (now >= expiresAt) return null;
  const left = daysLeft(expiresAt, now, timeZone);
  const due = offsets.filter((t) => t >= left);
  return due.length === 0 ? null : Math.min(...due);
}

export type KeyState = "active" | "expiring" | "expired" | "revoked";

export interface KeyLifetime {
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export function publicKeyState(key: KeyLifetime, now: Date, policy: RotationPolicy): KeyState {
  if (key.revokedAt !== null && key.revokedAt <= now) return "revoked";
  if (key.expiresAt === null) return "active";
  if (now >= key.expiresAt) return "expired";
  return toCalendarDate(now, policy.timeZone) >= overlapStartDate(key.expiresAt, policy) ? "expiring" : "active";
}

/** A key is accepted while it holds its place: keys count from registration, unlike secrets' created_at. */
export function isKeyLive(key: KeyLifetime, now: Date): boolean {
  return holdsAPlace(key, now);
}
