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
