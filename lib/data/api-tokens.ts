import { and, eq, gt, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { personalApiTokens } from "@/db/schema";

/**
 * Ends every live API token a person holds for one organisation, at once: a token carries exactly
 * the power of its owner's current role, so any change of that role (a new designated user, a
 * demotion, a de-activation) leaves none behind. Returns how many were revoked.
 */
export async function revokeMemberApiTokens(db: Executor, userId: string, organisationId: string, now: Date): Promise<number> {
  const revoked = await db
    .update(personalApiTokens)
    .set({ revokedAt: now })
    .where(
      and(eq(personalApiTokens.userId, userId), eq(personalApiTokens.organisationId, organisationId), isNull(personalApiTokens.revokedAt)),
    )
    .returning({ id: personalApiTokens.id });
  return revoked.length;
}

/** Whether the token is still unrevoked and unexpired, read under a share lock (as lockCurrentRole). */
export async function lockLiveToken(tx: Executor, tokenId: string, now: Date): Promise<boolean> {
  const [row] = await tx
    .select({ id: personalApiTokens.id })
    .from(personalApiTokens)
    .where(and(eq(personalApiTokens.id, tokenId), isNull(personalApiTokens.revokedAt), gt(personalApiTokens.expiresAt, now)))
    .for("share");
  return row !== undefined;
}
