import type { Database } from "@/db/client";
import type { MembershipRole } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { auditActor, authorizeOperator, type PlatformContext } from "@/lib/context";
import { generatePersonalToken, isWellFormedPersonalToken } from "@/lib/crypto/personal-token";
import { digestSecret, secretTail } from "@/lib/crypto/tokens";
import {
  type ApiTokenDto,
  findLiveApiTokenByDigest,
  insertApiToken,
  listApiTokensOfUser,
  lockOwnApiToken,
  markApiTokenRevoked,
  markApiTokenUsed,
} from "@/lib/data/api-tokens";
import { recordEvent } from "@/lib/data/audit";
import { findActiveMembership } from "@/lib/data/memberships";
import { findOrganisationBySlug, type OrganisationDto } from "@/lib/data/organisations";
import { isPlatformOperator } from "@/lib/data/users";
import { DomainError } from "@/lib/errors";
import type { CreateApiTokenInput, CreatePlatformApiTokenInput, OrganisationTokenScope } from "./schemas";

export type { ApiTokenDto };

/**
 * Seed 001's "user token": the designated user's personal token for the management API. Shown
 * once, stored as a digest, always expiring, revocable, limited to the scope chosen at creation,
 * and carrying exactly its owner's current power: any change of the owner's role revokes it
 * (lib/data/api-tokens.ts), and every request checks again that the owner is still the
 * organisation's active designated user.
 */

interface Requester {
  userId: string;
  label: string;
  ip?: string | null;
  userAgent?: string | null;
}

export async function createApiToken(db: Database, who: Requester, input: CreateApiTokenInput, now: Date) {
  const organisation = await findOrganisationBySlug(db, input.organisation);
  const membership = organisation ? await findActiveMembership(db, organisation.id, who.userId) : null;
  if (!organisation || !membership) throw new DomainError("not_found", "You are not a member of that organisation.", "organisation");
  if (!can(membership.role, "credentials.rotate")) {
    throw new DomainError("forbidden", "Only the organisation's designated user (SPOC) can create API tokens.", "organisation");
  }
  const value = generatePersonalToken();
  const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
  return db.transaction(async (tx) => {
    const row = await insertApiToken(tx, {
      userId: who.userId,
      organisationId: organisation.id,
      name: input.name,
      digest: digestSecret(value),
      maskedTail: secretTail(value),
      scope: input.scope,
      createdAt: now,
      expiresAt,
    });
    await recordEvent(tx, {
      organisationId: organisation.id,
      actor: { type: "user", userId: who.userId, label: who.label },
      action: "api_token.created",
      target: { type: "personal_api_token", id: row.id },
      metadata: { name: input.name, scope: input.scope, expiresAt: expiresAt.toISOString() },
      ip: who.ip,
      userAgent: who.userAgent,
    });
    return { id: row.id, value, expiresAt };
  });
}

/**
 * A platform operator's token for the operator's endpoints of the management API (scope
 * platform, no organisation): made by the operator for themselves in the Platform area, or by the
 * CLI for a named operator. Shown once, stored as a digest, expiring, and ended when its owner
 * stops being an operator (lib/organisations/remove-operator.ts; every request checks again).
 */
export async function createPlatformApiToken(
  ctx: PlatformContext,
  input: CreatePlatformApiTokenInput & { ownerUserId?: string },
): Promise<{ id: string; value: string; expiresAt: Date }> {
  authorizeOperator(ctx);
  const ownerUserId = input.ownerUserId ?? ctx.actor.userId;
  if (ownerUserId === null) throw new DomainError("invalid", "Name the platform operator the token is for.", "email");
  if (ctx.actor.type === "user" && ownerUserId !== ctx.actor.userId) {
    throw new DomainError("forbidden", "You can create API tokens for yourself only.");
  }
  return ctx.db.transaction(async (tx) => {
    if (!(await isPlatformOperator(tx, ownerUserId))) {
      throw new DomainError("invalid", "Only a platform operator can hold a platform token.", "email");
    }
    const now = ctx.clock();
    const value = generatePersonalToken();
    const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
    const row = await insertApiToken(tx, {
      userId: ownerUserId,
      organisationId: null,
      name: input.name,
      digest: digestSecret(value),
      maskedTail: secretTail(value),
      scope: "platform",
      createdAt: now,
      expiresAt,
    });
    await recordEvent(tx, {
      organisationId: null,
      actor: auditActor(ctx.actor),
      action: "api_token.created",
      target: { type: "personal_api_token", id: row.id },
      metadata: { name: input.name, scope: "platform", expiresAt: expiresAt.toISOString() },
      ip: ctx.actor.ip ?? null,
      userAgent: ctx.actor.userAgent ?? null,
    });
    return { id: row.id, value, expiresAt };
  });
}

export async function revokeApiToken(db: Database, who: Requester, tokenId: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const token = await lockOwnApiToken(tx, who.userId, tokenId);
    if (!token) throw new DomainError("not_found", "There is no such token of yours.");
    if (token.revokedAt) throw new DomainError("conflict", "This token is already revoked.");
    await markApiTokenRevoked(tx, token.id, now);
    await recordEvent(tx, {
      organisationId: token.organisationId,
      actor: { type: "user", userId: who.userId, label: who.label },
      action: "api_token.revoked",
      target: { type: "personal_api_token", id: token.id },
      metadata: { name: token.name },
      ip: who.ip,
      userAgent: who.userAgent,
    });
  });
}

export async function listApiTokens(db: Database, userId: string): Promise<ApiTokenDto[]> {
  return listApiTokensOfUser(db, userId);
}

interface PrincipalFacts {
  tokenId: string;
  tokenName: string;
  userId: string;
  email: string | null;
}

/** A designated user's token, acting in its organisation. */
export interface ApiPrincipal extends PrincipalFacts {
  kind: "organisation";
  organisation: OrganisationDto;
  role: MembershipRole;
  scope: OrganisationTokenScope;
}

/** A platform operator's token, acting as that operator in any organisation. */
export interface PlatformPrincipal extends PrincipalFacts {
  kind: "platform";
  scope: "platform";
}

/**
 * Resolves `Authorization: Bearer rtr_pat_...` to its owner, on every request: the token must be
 * well-formed, unrevoked and unexpired, and its owner, now, still an active member of the
 * organisation whose role may hold tokens (the designated user), or for a platform token still a
 * platform operator. A role change revokes the token anyway; this check holds even for a path
 * that changed the role without revoking.
 */
export async function identifyApiToken(
  db: Database,
  authorization: string | null,
  now: Date,
): Promise<ApiPrincipal | PlatformPrincipal | null> {
  const match = /^Bearer ([^\s]+)$/i.exec(authorization?.trim() ?? "");
  const value = match?.[1];
  if (!value || !isWellFormedPersonalToken(value)) return null;
  const holder = await findLiveApiTokenByDigest(db, digestSecret(value), now);
  if (!holder) return null;
  if (holder.kind === "platform") {
    await markApiTokenUsed(db, holder.tokenId, now);
    return holder;
  }
  if (!can(holder.role, "credentials.rotate")) return null;
  const organisation = await findOrganisationBySlug(db, holder.organisationSlug);
  if (!organisation) return null;
  await markApiTokenUsed(db, holder.tokenId, now);
  const { organisationSlug: _slug, ...principal } = holder;
  return { ...principal, organisation };
}

/** An organisation's token only (identifyApiToken for both kinds). */
export async function authenticateApiToken(db: Database, authorization: string | null, now: Date): Promise<ApiPrincipal | null> {
  const principal = await identifyApiToken(db, authorization, now);
  return principal?.kind === "organisation" ? principal : null;
}
