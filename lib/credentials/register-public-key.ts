import { auditActor, authorize, authorizeNow, type CredentialContext } from "@/lib/context";
import { type ParsedPublicKey, type PublicKeyType, parsePublicKey } from "@/lib/crypto/public-key";
import { recordEvent } from "@/lib/data/audit";
import { insertPublicKey, keysOfClient, LiveLimitReached, lockClient } from "@/lib/data/credentials";
import { DomainError } from "@/lib/errors";
import { addDays, calendarDate, startOfDay, toCalendarDate } from "@/lib/rotation/calendar";
import { holdsAPlace } from "@/lib/rotation/secret-state";
import type { RegisterKeyInput } from "./schemas";

export const MAX_LIVE_KEYS = 2;
const TWO_LIVE_KEYS = `This client already has ${MAX_LIVE_KEYS} active keys, the most allowed. Revoke the one your systems no longer sign with, then register the new one.`;

export interface RegisteredKey {
  id: string;
  kid: string;
  thumbprint: string;
  /** RSA or EC (P-256): what signs its assertions (docs/domain.md, "The token endpoint"). */
  type: PublicKeyType;
  alg: ParsedPublicKey["alg"];
  bits: number;
  expiresAt: Date | null;
}

/** Seed 002 step 2, self-service (RSA, or EC P-256 for ES256): at most two active keys (a second runs alongside for rotation). */
export async function registerPublicKey(ctx: CredentialContext, input: RegisterKeyInput): Promise<RegisteredKey> {
  authorize(ctx, "credentials.rotate");
  const parsed = await parsePublicKey(input.key);
  const tz = ctx.organisation.timeZone;
  let expiresAt: Date | null = null;
  if (input.expiresOn) {
    const lastDay = calendarDate(input.expiresOn);
    if (lastDay < toCalendarDate(ctx.clock(), tz)) throw new DomainError("invalid", "The expiry date is in the past.", "expiresOn");
    expiresAt = startOfDay(addDays(lastDay, 1), tz);
  }
  const kid = input.kid ?? parsed.thumbprint;
  return ctx.db.transaction(async (tx) => {
    const client = await lockClient(tx, ctx.organisation.id, input.clientId);
    await authorizeNow(tx, ctx, "credentials.rotate");
    const now = ctx.clock();
    const keys = await keysOfClient(tx, client.id);
    const live = keys.filter((k) => holdsAPlace(k, now));
    if (live.some((k) => k.thumbprint === parsed.thumbprint)) {
      throw new DomainError("conflict", "This key is already registered for this client.", "key");
    }
    if (live.length >= MAX_LIVE_KEYS) throw new DomainError("conflict", TWO_LIVE_KEYS);
    if (keys.some((k) => k.kid === kid)) {
      throw new DomainError(
        "conflict",
        `The key ID "${kid}" is already used by another key of this client (revoked keys keep theirs). Choose another.`,
        "kid",
      );
    }
    const row = await insertPublicKey(tx, {
      clientId: client.id,
      kid,
      alg: parsed.alg,
      keyType: parsed.type,
      jwk: { ...parsed.jwk, kid, alg: parsed.alg, use: "sig" },
      thumbprint: parsed.thumbprint,
      bits: parsed.bits,
      createdAt: now,
      expiresAt,
      createdByUserId: ctx.actor.userId,
      label: input.label ?? null,
    }).catch((error: unknown) => {
      // The database's own limit (db/migrations/0003_live_credential_limits.sql).
      if (error instanceof LiveLimitReached) throw new DomainError("conflict", TWO_LIVE_KEYS);
      throw error;
    });
    await recordEvent(tx, {
      organisationId: ctx.organisation.id,
      actor: auditActor(ctx.actor),
      action: "key.registered",
      target: { type: "client_public_key", id: row.id },
      metadata: {
        client: client.clientId,
        kid,
        thumbprint: parsed.thumbprint,
        type: parsed.type,
        alg: parsed.alg,
        bits: parsed.bits,
        expiresAt: expiresAt?.toISOString() ?? null,
      },
      ip: ctx.actor.ip,
      userAgent: ctx.actor.userAgent,
    });
    return { id: row.id, kid, thumbprint: parsed.thumbprint, type: parsed.type, alg: parsed.alg, bits: parsed.bits, expiresAt };
  });
}
