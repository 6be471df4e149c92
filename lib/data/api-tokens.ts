import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type MembershipRole, memberships, organisations, personalApiTokens, platformOperators, users } from "@/db/schema";
import type { ApiTokenScope } from "@/lib/api-tokens/schemas";
import { maskSecret } from "@/lib/crypto/tokens";

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

/**
 * Ends every live platform token of a person, at once: when they stop being a platform operator
 * their tokens end with the role, like a designated user's. Returns how many were revoked.
 */
export async function revokePlatformApiTokens(db: Executor, userId: string, now: Date): Promise<number> {
  const revoked = await db
    .update(personalApiTokens)
    .set({ revokedAt: now })
    .where(and(eq(personalApiTokens.userId, userId), isNull(personalApiTokens.organisationId), isNull(personalApiTokens.revokedAt)))
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

export interface NewApiToken {
  userId: string;
  /** Null for a platform token (scope platform). */
  organisationId: string | null;
  name: string;
  digest: string;
  maskedTail: string;
  scope: ApiTokenScope;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertApiToken(tx: Executor, token: NewApiToken): Promise<{ id: string }> {
  const [row] = await tx.insert(personalApiTokens).values(token).returning({ id: personalApiTokens.id });
  if (!row) throw new Error("token insert returned nothing");
  return row;
}

/** One of the person's own tokens, locked for a change; another person's token is not found. */
export async function lockOwnApiToken(tx: Executor, userId: string, tokenId: string) {
  const [token] = await tx
    .select({
      id: personalApiTokens.id,
      name: personalApiTokens.name,
      organisationId: personalApiTokens.organisationId,
      revokedAt: personalApiTokens.revokedAt,
    })
    .from(personalApiTokens)
    .where(and(eq(personalApiTokens.id, tokenId), eq(personalApiTokens.userId, userId)))
    .for("update");
  return token ?? null;
}

export async function markApiTokenRevoked(tx: Executor, tokenId: string, now: Date): Promise<void> {
  await tx.update(personalApiTokens).set({ revokedAt: now }).where(eq(personalApiTokens.id, tokenId));
}

export interface ApiTokenDto {
  id: string;
  name: string;
  /** The organisation's name; null for a platform token. */
  organisation: string | null;
  scope: ApiTokenScope;
  masked: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** A person's tokens across their organisations and the platform, newest first, masked. */
export async function listApiTokensOfUser(db: Executor, userId: string): Promise<ApiTokenDto[]> {
  const rows = await db
    .select({ token: personalApiTokens, organisation: organisations.name })
    .from(personalApiTokens)
    .leftJoin(organisations, eq(organisations.id, personalApiTokens.organisationId))
    .where(eq(personalApiTokens.userId, userId))
    .orderBy(desc(personalApiTokens.createdAt));
  return rows.map(({ token, organisation }) => ({
    id: token.id,
    name: token.name,
    organisation,
    scope: token.scope,
    masked: maskSecret(token.maskedTail),
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
    revokedAt: token.revokedAt,
    lastUsedAt: token.lastUsedAt,
  }));
}

interface LiveTokenFacts {
  tokenId: string;
  tokenName: string;
  userId: string;
  email: string | null;
}

/** An organisation token whose owner is an active member of its organisation. */
export interface LiveApiTokenHolder extends LiveTokenFacts {
  kind: "organisation";
  organisationSlug: string;
  role: MembershipRole;
  scope: Exclude<ApiTokenScope, "platform">;
}

/** A platform token whose owner is a platform operator now. */
export interface LivePlatformTokenHolder extends LiveTokenFacts {
  kind: "platform";
  scope: "platform";
}

/**
 * The unrevoked, unexpired token with this digest, with what its owner is now: for an
 * organisation's token their active membership there (none, no row); for a platform token their
 * place among the platform operators (removed, no row). One query, on every request.
 */
export async function findLiveApiTokenByDigest(
  db: Executor,
  digest: string,
  now: Date,
): Promise<LiveApiTokenHolder | LivePlatformTokenHolder | null> {
  const [row] = await db
    .select({
      token: personalApiTokens,
      role: memberships.role,
      email: users.email,
      slug: organisations.slug,
      operator: platformOperators.userId,
    })
    .from(personalApiTokens)
    .innerJoin(users, eq(users.id, personalApiTokens.userId))
    .leftJoin(organisations, eq(organisations.id, personalApiTokens.organisationId))
    .leftJoin(
      memberships,
      and(
        eq(memberships.userId, personalApiTokens.userId),
        eq(memberships.organisationId, personalApiTokens.organisationId),
        eq(memberships.status, "active"),
      ),
    )
    .leftJoin(platformOperators, eq(platformOperators.userId, personalApiTokens.userId))
    .where(and(eq(personalApiTokens.digest, digest), isNull(personalApiTokens.revokedAt), gt(personalApiTokens.expiresAt, now)))
    .limit(1);
  if (!row) return null;
  const facts = { tokenId: row.token.id, tokenName: row.token.name, userId: row.token.userId, email: row.email };
  if (row.token.scope === "platform") {
    return row.token.organisationId === null && row.operator !== null ? { ...facts, kind: "platform", scope: "platform" } : null;
  }
  if (row.slug === null || row.role === null) return null;
  return { ...facts, kind: "organisation", organisationSlug: row.slug, role: row.role, scope: row.token.scope };
}

export async function markApiTokenUsed(db: Executor, tokenId: string, now: Date): Promise<void> {
  await db.update(personalApiTokens).set({ lastUsedAt: now }).where(eq(personalApiTokens.id, tokenId));
}
