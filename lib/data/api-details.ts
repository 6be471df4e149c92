import { asc, desc, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { MembershipRole } from "@/db/schema";
import {
  clientAssertionAudience,
  clientAudienceUsage,
  clientJwksKeyUse,
  clientPublicKeys,
  clientSecrets,
  oauthClients,
  users,
} from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { maskSecret } from "@/lib/crypto/client-secret";
import type { CalendarDate } from "@/lib/rotation/calendar";
import { toCalendarDate } from "@/lib/rotation/calendar";
import {
  type KeyFlags,
  keyFlags,
  rotateBlockedReason,
  type SecretFlags,
  type SecretPermissions,
  secretFlags,
} from "@/lib/rotation/secret-actions";
import {
  type ClientHealth,
  clientHealth,
  daysLeft,
  expiryDateOf,
  holdsAPlace,
  type KeyState,
  oldSecretEndForChoice,
  placeHolders,
  publicKeyState,
  type RotationPolicy,
  type SecretState,
  secretSlots,
  secretState,
} from "@/lib/rotation/secret-state";
import { type JwksStatusDto, listJwksStatus } from "./client-jwks";
import type { OrganisationDto } from "./organisations";
import { getPlatformSettings } from "./platform";

/** A live secret, with what the viewer may do to it and why not (lib/rotation/secret-actions.ts). */
export interface SecretDto extends SecretFlags {
  id: string;
  masked: string;
  label: string | null;
  createdOn: CalendarDate;
  expiresOn: CalendarDate;
  state: SecretState;
  daysLeft: number;
  lastUsedAt: Date | null;
  issuedBy: string;
}

export interface PublicKeyDto extends KeyFlags {
  id: string;
  kid: string;
  label: string | null;
  alg: string;
  /** RSA or EC (P-256); shown with the size as "RSA 2048" or "EC P-256" (lib/format.ts). */
  type: "RSA" | "EC";
  bits: number;
  thumbprint: string;
  createdOn: CalendarDate;
  expiresOn: CalendarDate | null;
  state: KeyState;
  lastUsedAt: Date | null;
}

/**
 * What the rotate dialog tells and offers about the secret that would become the old one: only
 * when exactly one secret is live (with two, rotation is refused until one is revoked).
 */
export interface RotationFactsDto {
  old: { masked: string; expiresOn: CalendarDate; lastUsedAt: Date | null };
  /** The old secret's last day if the default (the end of the overlap counted from today) is chosen. */
  overlapEndsOn: CalendarDate;
  /** The earliest and latest day a person may choose for the old secret. */
  today: CalendarDate;
  latestDay: CalendarDate;
}

/** A secret or key that no longer works: when it ended, how, by whom and why. */
export interface EndedCredentialDto {
  id: string;
  kind: "secret" | "key";
  /** The masked secret or the key's kid. */
  name: string;
  label: string | null;
  endedAt: Date;
  how: "revoked" | "expired";
  /** The person who revoked it; null for the scheduler, the CLI, or an expiry. */
  by: string | null;
  reason: string | null;
}

export interface ClientDetailsDto {
  id: string;
  clientId: string;
  name: string;
  allowedScopes: string[];
  allowedAudiences: string[];
  /** What a token request naming no audience gets: the chosen one, or the platform's own API. */
  defaultAudience: string;
  accessTokenTtlSeconds: number;
  accessTokenAlg: "ES256" | "RS256";
  legacyAudience: boolean;
  /** Since when the token endpoint refuses it; null while enabled. */
  disabledAt: Date | null;
  current: SecretDto | null;
  next: SecretDto | null;
  /** Null when there is no single live secret to keep or shorten. */
  rotation: RotationFactsDto | null;
  /** Why a new secret cannot be issued now (two are live), or null. */
  rotateBlockedReason: string | null;
  keys: PublicKeyDto[];
  /** Revoked and expired secrets and keys, most recent first (at most 20). */
  history: EndedCredentialDto[];
  /** The aud values the client's systems ask for at the token endpoint, most used first. */
  audiencesUsed: { audience: string; requestCount: number; lastSeenAt: Date }[];
  /**
   * The aud values its private_key_jwt assertions carried (signature verified), most used first, and
   * which each is: the issuer identifier, the token endpoint URL (accepted only with the legacy
   * switch), or something else (refused).
   */
  assertionAudiences: { audience: string; requestCount: number; lastSeenAt: Date; kind: "issuer" | "token_endpoint" | "other" }[];
  health: ClientHealth;
  /** Where the client publishes its keys, and what Rotor last made of it; null when it does not. */
  jwks: ClientJwksDto | null;
}

export interface ClientJwksDto {
  uri: string;
  /** The keys of the last good fetch (kid and type only), with when each last signed an accepted assertion. */
  keys: { kid: string; type: string; lastUsedAt: Date | null }[];
  fetchedAt: Date | null;
  lastError: string | null;
  failingSince: Date | null;
  lastAttemptAt: Date | null;
}

export interface ApiDetailsDto {
  endpoint: string;
  clients: ClientDetailsDto[];
}

/**
 * The API tab (seed 000): endpoint, client ids, Current and New secret, masked, with dates, and
 * what `viewer` (the caller's role here; null for nobody's buttons) may do to each.
 */
export async function getApiDetails(
  db: Executor,
  org: OrganisationDto,
  now: Date,
  publicUrl: string,
  viewer: MembershipRole | null = null,
): Promise<ApiDetailsDto> {
  const settings = await getPlatformSettings(db);
  const clients = await db.select().from(oauthClients).where(eq(oauthClients.organisationId, org.id)).orderBy(asc(oauthClients.name));
  const ids = clients.map((c) => c.id);
  const secrets = ids.length ? await db.select().from(clientSecrets).where(inArray(clientSecrets.clientId, ids)) : [];
  const keys = ids.length
    ? await db.select().from(clientPublicKeys).where(inArray(clientPublicKeys.clientId, ids)).orderBy(desc(clientPublicKeys.createdAt))
    : [];
  const revokers = [
    ...new Set([...secrets.map((s) => s.revokedByUserId), ...keys.map((k) => k.revokedByUserId)].filter((u): u is string => u !== null)),
  ];
  const people = new Map(
    (revokers.length ? await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, revokers)) : []).map(
      (u) => [u.id, u.email] as const,
    ),
  );
  const usage = ids.length
    ? await db
        .select()
        .from(clientAudienceUsage)
        .where(inArray(clientAudienceUsage.clientId, ids))
        .orderBy(desc(clientAudienceUsage.requestCount))
    : [];
  const assertionUsage = ids.length
    ? await db
        .select()
        .from(clientAssertionAudience)
        .where(inArray(clientAssertionAudience.clientId, ids))
        .orderBy(desc(clientAssertionAudience.requestCount))
    : [];
  const jwksKeyUse = ids.length ? await db.select().from(clientJwksKeyUse).where(inArray(clientJwksKeyUse.clientId, ids)) : [];
  const jwksStatus = await listJwksStatus(
    db,
    clients.filter((c) => c.jwksUri !== null).map((c) => c.id),
  );
  const policy: RotationPolicy = org;
  const tz = org.timeZone;
  const may: SecretPermissions = {
    rotate: viewer !== null && can(viewer, "credentials.rotate"),
    reveal: viewer !== null && can(viewer, "secrets.reveal"),
  };

  return {
    endpoint: settings.apiEndpoint ?? `${publicUrl}/api/v1`,
    clients: clients.map((client) => {
      const own = secrets.filter((s) => s.clientId === client.id);
      const toDto = (s: (typeof own)[number]): SecretDto => ({
        id: s.id,
        masked: maskSecret(s.maskedTail),
        label: s.label,
        createdOn: toCalendarDate(s.createdAt, tz),
        expiresOn: expiryDateOf(s.expiresAt, tz),
        state: secretState(s, own, now, policy),
        daysLeft: daysLeft(s.expiresAt, now, tz),
        lastUsedAt: s.lastUsedAt,
        issuedBy: s.issuedBy,
        ...secretFlags({ ...s, hasStoredValue: s.ciphertext !== null }, own, org.secretRevealPolicy, may, now),
      });
      const { current, next } = secretSlots(own, now);
      return {
        id: client.id,
        clientId: client.clientId,
        name: client.name,
        allowedScopes: client.allowedScopes,
        allowedAudiences: client.allowedAudiences,
        // The platform's own API when the client has no audiences (lib/oauth/targets.ts, clientAudiences).
        defaultAudience: client.defaultAudience ?? `${publicUrl}/api/v1`,
        accessTokenTtlSeconds: client.accessTokenTtlSeconds,
        accessTokenAlg: client.accessTokenAlg,
        legacyAudience: client.legacyAudience,
        disabledAt: client.disabledAt,
        current: current ? toDto(current) : null,
        next: next ? toDto(next) : null,
        rotation: rotationFacts(own, now, policy),
        rotateBlockedReason: may.rotate ? rotateBlockedReason(own, now) : null,
        keys: keys
          .filter((k) => k.clientId === client.id)
          .map((k) => ({
            id: k.id,
            kid: k.kid,
            label: k.label,
            alg: k.alg,
            type: k.keyType,
            bits: k.bits,
            thumbprint: k.thumbprint,
            createdOn: toCalendarDate(k.createdAt, tz),
            expiresOn: k.expiresAt ? expiryDateOf(k.expiresAt, tz) : null,
            state: publicKeyState(k, now, policy),
            lastUsedAt: k.lastUsedAt,
            ...keyFlags(k, may, now),
          })),
        jwks: client.jwksUri
          ? jwksView(
              client.jwksUri,
              jwksStatus.get(client.id),
              jwksKeyUse.filter((u) => u.clientId === client.id),
            )
          : null,
        history: endedCredentials(
          own,
          keys.filter((k) => k.clientId === client.id),
          people,
          now,
        ),
        audiencesUsed: usage
          .filter((u) => u.clientId === client.id)
          .map((u) => ({ audience: u.audience, requestCount: u.requestCount, lastSeenAt: u.lastSeenAt })),
        assertionAudiences: assertionUsage
          .filter((u) => u.clientId === client.id)
          .map((u) => ({
            audience: u.audience,
            requestCount: u.requestCount,
            lastSeenAt: u.lastSeenAt,
            kind: u.audience === publicUrl ? "issuer" : u.audience === `${publicUrl}/oauth/token` ? "token_endpoint" : "other",
          })),
        health: clientHealth(own, now, policy),
      };
    }),
  };
}

export interface ClientHealthDto {
  clientId: string;
  name: string;
  health: ClientHealth;
}

/** Home's at-a-glance view: no secret values, not even masked ones. */
export async function getCredentialHealth(db: Executor, org: OrganisationDto, now: Date): Promise<ClientHealthDto[]> {
  const clients = await db
    .select({ id: oauthClients.id, clientId: oauthClients.clientId, name: oauthClients.name })
    .from(oauthClients)
    .where(eq(oauthClients.organisationId, org.id))
    .orderBy(asc(oauthClients.name));
  const ids = clients.map((c) => c.id);
  const secrets = ids.length
    ? await db
        .select({
          clientId: clientSecrets.clientId,
          createdAt: clientSecrets.createdAt,
          expiresAt: clientSecrets.expiresAt,
          revokedAt: clientSecrets.revokedAt,
          lastUsedAt: clientSecrets.lastUsedAt,
        })
        .from(clientSecrets)
        .where(inArray(clientSecrets.clientId, ids))
    : [];
  const policy: RotationPolicy = org;
  return clients.map((c) => ({
    clientId: c.clientId,
    name: c.name,
    health: clientHealth(
      secrets.filter((s) => s.clientId === c.id),
      now,
      policy,
    ),
  }));
}

function rotationFacts(
  secrets: readonly { maskedTail: string; createdAt: Date; expiresAt: Date; revokedAt: Date | null; lastUsedAt: Date | null }[],
  now: Date,
  policy: RotationPolicy,
): RotationFactsDto | null {
  const live = placeHolders(secrets, now);
  if (live.length !== 1) return null;
  const old = live[0]!;
  const overlap = oldSecretEndForChoice(old.expiresAt, now, policy, "overlap");
  if (!overlap.ok) return null;
  return {
    old: { masked: maskSecret(old.maskedTail), expiresOn: expiryDateOf(old.expiresAt, policy.timeZone), lastUsedAt: old.lastUsedAt },
    overlapEndsOn: expiryDateOf(overlap.expiresAt, policy.timeZone),
    today: toCalendarDate(now, policy.timeZone),
    latestDay: expiryDateOf(old.expiresAt, policy.timeZone),
  };
}

type Ended = { id: string; label: string | null; expiresAt: Date | null; revokedAt: Date | null; revokedByUserId: string | null };

/** What no longer works, newest first: revoked (by whom, why) or expired, by the live rule's own test. */
function endedCredentials(
  secrets: readonly (Ended & { maskedTail: string; revokedReason: string | null; createdAt: Date; expiresAt: Date })[],
  keys: readonly (Ended & { kid: string; createdAt: Date })[],
  people: Map<string, string | null>,
  now: Date,
): EndedCredentialDto[] {
  const entry = (kind: "secret" | "key", c: Ended, name: string, reason: string | null): EndedCredentialDto | null => {
    if (holdsAPlace(c, now)) return null;
    const revoked = c.revokedAt !== null && (c.expiresAt === null || c.revokedAt < c.expiresAt);
    return {
      id: c.id,
      kind,
      name,
      label: c.label,
      endedAt: revoked ? (c.revokedAt as Date) : (c.expiresAt as Date),
      how: revoked ? "revoked" : "expired",
      by: revoked && c.revokedByUserId ? (people.get(c.revokedByUserId) ?? null) : null,
      reason: revoked ? reason : null,
    };
  };
  return [
    ...secrets.map((s) => entry("secret", s, maskSecret(s.maskedTail), s.revokedReason)),
    ...keys.map((k) => entry("key", k, k.kid, null)),
  ]
    .filter((e): e is EndedCredentialDto => e !== null)
    .sort((a, b) => b.endedAt.getTime() - a.endedAt.getTime())
    .slice(0, 20);
}

function jwksView(
  uri: string,
  status: (JwksStatusDto & { uri: string }) | undefined,
  uses: { kid: string; lastUsedAt: Date }[],
): ClientJwksDto {
  const current = status && status.uri === uri ? status : null;
  return {
    uri,
    keys: (current?.keys ?? []).map((k) => ({
      kid: typeof k.kid === "string" ? k.kid : "(no kid)",
      type: k.kty === "EC" ? `EC ${String(k.crv ?? "")}`.trim() : String(k.kty ?? "unknown"),
      lastUsedAt: uses.find((u) => u.kid === k.kid)?.lastUsedAt ?? null,
    })),
    fetchedAt: current?.fetchedAt ?? null,
    lastError: current?.lastError ?? null,
    failingSince: current?.failingSince ?? null,
    lastAttemptAt: current?.lastAttemptAt ?? null,
  };
}
