import { auditActor, authorize, authorizeNow, type CredentialContext } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { lockClient, revokeSecrets, secretsOfClient, setSecretExpiry } from "@/lib/data/credentials";
import { DomainError } from "@/lib/errors";
import { type CalendarDate, formatCalendarDate } from "@/lib/rotation/calendar";
import { expiryDateOf, type OldSecretChoice, oldSecretEndForChoice, placeHolders } from "@/lib/rotation/secret-state";
import { type IssuedSecret, issueSecret, TWO_LIVE_SECRETS } from "./issue-secret";
import type { RotateSecretInput } from "./schemas";

export interface RotationResult {
  secret: IssuedSecret;
  /** Old secrets revoked at once (after a compromise). */
  revokedSecretIds: string[];
  /** The old secret's new end of acceptance when the rotation shortened it. */
  previousSecretAcceptedUntil: Date | null;
  /** When the old secret (the one live before) ends now, shortened or not; null when none stays. */
  previousSecretEndsAt: Date | null;
}

function choiceOf(input: RotateSecretInput): OldSecretChoice {
  if (input.oldSecret === "until") return { lastDay: input.oldSecretLastDay as CalendarDate };
  return input.oldSecret === "unchanged" ? "unchanged" : "overlap";
}

/**
 * Issue a new secret (the "Secret Reset" of docs/domain.md, "The management API"). The old one
 * stays accepted as the person chose: until the end of the overlap counted from today (the
 * default), unchanged, until a chosen day, or revoked at once after a compromise. Never more than two live secrets, never zero (docs/domain.md, "Two
 * live secrets, two live keys").
 */
export async function rotateSecret(ctx: CredentialContext, input: RotateSecretInput): Promise<RotationResult> {
  authorize(ctx, "credentials.rotate");
  const policy = ctx.organisation;
  return ctx.db.transaction(async (tx) => {
    const client = await lockClient(tx, ctx.organisation.id, input.clientId);
    await authorizeNow(tx, ctx, "credentials.rotate");
    const now = ctx.clock();
    // Every secret neither revoked nor expired, even one created "after" now by a request that
    // held the lock before us: a compromise revokes them all, and none may become a third.
    const live = placeHolders(await secretsOfClient(tx, client.id), now);
    let revokedSecretIds: string[] = [];
    let previousSecretAcceptedUntil: Date | null = null;
    let replacesSecretId: string | null = null;
    let previousSecretExpiresAt: Date | null = null;
    const revokeAll = input.compromised || input.oldSecret === "revoke";

    if (revokeAll) {
      revokedSecretIds = live.map((s) => s.id);
      await revokeSecrets(tx, revokedSecretIds, { at: now, byUserId: ctx.actor.userId, reason: "compromised" });
    } else if (live.length >= 2) {
      throw new DomainError("conflict", TWO_LIVE_SECRETS);
    } else if (live.length === 1) {
      const old = live[0]!;
      replacesSecretId = old.id;
      previousSecretExpiresAt = old.expiresAt;
      const end = oldSecretEndForChoice(old.expiresAt, now, policy, choiceOf(input));
      if (!end.ok) {
        const day = (d: CalendarDate) => formatCalendarDate(d, policy.locale);
        throw new DomainError(
          "invalid",
          end.reason === "past"
            ? `The old secret's last day cannot be before today (${day(end.today)}). Choose today or a later day.`
            : `A rotation can only shorten the old secret: its last day is ${day(end.latestDay)}. Choose that day or an earlier one, or keep it unchanged.`,
          "oldSecretLastDay",
        );
      }
      const cut = end.expiresAt;
      if (cut < old.expiresAt) {
        await setSecretExpiry(tx, old.id, cut);
        previousSecretAcceptedUntil = cut;
      }
    }

    const secret = await issueSecret(tx, {
      clientUuid: client.id,
      policy,
      reveal: ctx.organisation.secretRevealPolicy === "reveal",
      now,
      keyRing: ctx.keyRing,
      issuedBy: ctx.actor.type === "system" ? "auto" : ctx.actor.type,
      userId: ctx.actor.userId,
      replacesSecretId,
      label: input.label ?? null,
    });
    await recordEvent(tx, {
      organisationId: ctx.organisation.id,
      actor: auditActor(ctx.actor),
      action: revokeAll ? "secret.rotated_after_compromise" : "secret.rotated",
      target: { type: "client_secret", id: secret.id },
      metadata: {
        client: client.clientId,
        revokedSecretIds,
        oldSecret: revokeAll ? "revoke" : (input.oldSecret ?? "overlap"),
        previousSecretExpiresAt: previousSecretExpiresAt?.toISOString() ?? null,
        previousSecretAcceptedUntil: previousSecretAcceptedUntil?.toISOString() ?? null,
        // The old secret's last day as the organisation counts days, for the activity list.
        previousSecretLastDay: previousSecretAcceptedUntil ? expiryDateOf(previousSecretAcceptedUntil, policy.timeZone) : null,
      },
      ip: ctx.actor.ip,
      userAgent: ctx.actor.userAgent,
    });
    return {
      secret,
      revokedSecretIds,
      previousSecretAcceptedUntil,
      previousSecretEndsAt: revokeAll ? null : (previousSecretAcceptedUntil ?? previousSecretExpiresAt),
    };
  });
}
