/*
 * How long an invitation stands (docs/domain.md, "People"). Someone invited by e-mail who has never
 * signed in may do so for INVITATION_VALID_DAYS after the latest invitation mail; after that an
 * admin resends it (which starts the period again). Once the person has signed in, the invitation
 * has done its job and never expires. Someone added without an invitation mail (the demo seed, an
 * operator's CLI run before invitations were mailed) is not held to one.
 */
export const INVITATION_VALID_DAYS = 14;
const DAY_MS = 86_400_000;

export type InvitationState =
  /** Signed in at least once, or added without an invitation mail. */
  { state: "none" } | { state: "pending"; expiresAt: Date } | { state: "expired"; expiredAt: Date };

export function invitationExpiresAt(sentAt: Date): Date {
  return new Date(sentAt.getTime() + INVITATION_VALID_DAYS * DAY_MS);
}

/** One membership's invitation, as the Active users tab shows it. */
export function invitationState(m: { lastSignedInAt: Date | null; invitationSentAt: Date | null }, now: Date): InvitationState {
  if (m.lastSignedInAt !== null || m.invitationSentAt === null) return { state: "none" };
  const expiresAt = invitationExpiresAt(m.invitationSentAt);
  return now.getTime() < expiresAt.getTime() ? { state: "pending", expiresAt } : { state: "expired", expiredAt: expiresAt };
}

/**
 * Whether a person's invitations still let them sign in: someone who never signed in needs at least
 * one active membership whose invitation stands (or that came without one).
 */
export function invitationsLetSignIn(lastSignedInAt: Date | null, invitationsSentAt: readonly (Date | null)[], now: Date): boolean {
  if (lastSignedInAt !== null) return true;
  return invitationsSentAt.some((sentAt) => invitationState({ lastSignedInAt, invitationSentAt: sentAt }, now).state !== "expired");
}
