import { randomBytes } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import type { MembershipRole } from "@/db/schema";
import { mintSecret } from "@/lib/credentials/mint-secret";
import { generateClientId } from "@/lib/crypto/client-id";
import type { KeyRing } from "@/lib/crypto/encryption";
import { type ClientDto, insertClient, type NewClient } from "@/lib/data/clients";
import { insertPublicKey, insertSecret } from "@/lib/data/credentials";
import { deactivateMembership, grantMembership, type MembershipRow } from "@/lib/data/memberships";
import { insertOffice, type OfficeDto, type OfficeValues } from "@/lib/data/offices";
import { insertOrganisation, type NewOrganisation, type OrganisationDto } from "@/lib/data/organisations";
import { recordKeyUse, recordSecretUse } from "@/lib/data/usage";
import { findOrCreateUser, insertOperator, type UserDto } from "@/lib/data/users";
import type { Executor } from "../client";

/*
 * Builders for the demo seed (db/seed.ts) and for tests that need a row or two: each makes one
 * thing through the data functions the use cases write with (lib/data), with plausible defaults
 * and unique names, so a test states only what it is about. They write no audit events: the
 * demo's trail is written out in db/seed.ts, and a test that needs one calls the use case.
 */

const unique = () => randomBytes(4).toString("hex");

export function anOrganisation(db: Executor, overrides: Partial<NewOrganisation> = {}): Promise<OrganisationDto> {
  const tag = unique();
  return insertOrganisation(db, {
    slug: `org-${tag}`,
    name: `Organisation ${tag}`,
    timeZone: "Europe/London",
    locale: "en-GB",
    validityDays: 180,
    overlapDays: 30,
    reminderOffsets: [30, 20, 10, 5, 3, 0],
    autoIssue: false,
    secretRevealPolicy: "reveal",
    createdAt: new Date(),
    ...overrides,
  });
}

/** A person who has signed in before (their address verified). */
export function aPerson(db: Executor, overrides: { email?: string; name?: string | null; now?: Date } = {}): Promise<UserDto> {
  const now = overrides.now ?? new Date();
  const email = overrides.email ?? `person-${unique()}@example.test`;
  return findOrCreateUser(db, { email, name: overrides.name ?? null, emailVerified: now }, now);
}

export async function anOperator(db: Executor, overrides: { email?: string; name?: string | null; now?: Date } = {}): Promise<UserDto> {
  const user = await aPerson(db, overrides);
  await insertOperator(db, user.id, null, overrides.now ?? new Date());
  return user;
}

export interface MemberOverrides {
  email?: string;
  name?: string | null;
  role?: MembershipRole;
  office?: OfficeDto | null;
  invitedBy?: UserDto | null;
  /** A former member: de-activated at that instant, by that person. */
  deactivated?: { at: Date; by: UserDto | null };
  now?: Date;
}

export async function aMember(
  db: Executor,
  organisation: OrganisationDto,
  overrides: MemberOverrides = {},
): Promise<{ user: UserDto; membership: MembershipRow }> {
  const now = overrides.now ?? new Date();
  const user = await aPerson(db, { email: overrides.email, name: overrides.name, now });
  let membership = await grantMembership(db, organisation.id, user.id, null, {
    role: overrides.role ?? "member",
    invitedBy: overrides.invitedBy?.id ?? null,
    createdAt: now,
    officeId: overrides.office?.id ?? null,
  });
  if (overrides.deactivated) {
    const { at, by } = overrides.deactivated;
    await deactivateMembership(db, membership, at, by?.id ?? null);
    membership = { ...membership, status: "deactivated", deactivatedAt: at, deactivatedBy: by?.id ?? null };
  }
  return { user, membership };
}

export function anOffice(
  db: Executor,
  organisation: OrganisationDto,
  overrides: Partial<OfficeValues> & { closedAt?: Date | null; now?: Date } = {},
): Promise<OfficeDto> {
  const { now, ...values } = overrides;
  return insertOffice(
    db,
    organisation.id,
    {
      name: `Office ${unique()}`,
      addressLine1: "1 High Street",
      addressLine2: null,
      town: "London",
      postcode: "EC1A 1AA",
      country: "GB",
      phone: null,
      ...values,
    },
    now ?? new Date(),
  );
}

export function aClient(db: Executor, organisation: OrganisationDto, overrides: Partial<NewClient> = {}): Promise<ClientDto> {
  return insertClient(db, organisation.id, {
    clientId: generateClientId(),
    name: `Client ${unique()}`,
    allowedScopes: ["claims:read"],
    allowedAudiences: [],
    accessTokenTtlSeconds: 3600,
    legacyAudience: false,
    accessTokenAlg: "ES256",
    createdAt: new Date(),
    ...overrides,
    // Tests that give audiences and no default get the first, as clients had before 0013.
    defaultAudience: overrides.defaultAudience !== undefined ? overrides.defaultAudience : (overrides.allowedAudiences?.[0] ?? null),
  });
}

export interface SecretOverrides {
  createdAt?: Date;
  issuedBy?: "user" | "api_token" | "cli" | "auto" | "seed";
  createdBy?: UserDto | null;
  replacesSecretId?: string | null;
  lastUsedAt?: Date;
}

/**
 * A secret of the client, minted as every issuer mints one (lib/credentials/mint-secret.ts) under
 * the organisation's policy, and stored without the use case's checks: a builder may date it in
 * the past, which is how the demo shows a secret inside its overlap.
 */
export async function aSecret(
  db: Executor,
  organisation: OrganisationDto,
  client: { id: string },
  keyRing: KeyRing,
  overrides: SecretOverrides = {},
) {
  const minted = mintSecret({
    createdAt: overrides.createdAt ?? new Date(),
    policy: organisation,
    reveal: organisation.secretRevealPolicy === "reveal",
    keyRing,
  });
  const stored = await insertSecret(db, minted, {
    clientUuid: client.id,
    issuedBy: overrides.issuedBy ?? "seed",
    userId: overrides.createdBy?.id ?? null,
    replacesSecretId: overrides.replacesSecretId ?? null,
  });
  if (!stored) throw new Error(`aSecret: the secret ${overrides.replacesSecretId} already has a live successor`);
  if (overrides.lastUsedAt) await recordSecretUse(db, stored.id, overrides.lastUsedAt);
  return { ...stored, value: minted.value, maskedTail: minted.maskedTail };
}

/**
 * A public key of the client, RSA (RS256) unless `alg: "ES256"` asks for EC P-256; its thumbprint
 * as kid unless given; the private half is returned for signing.
 */
export async function aPublicKey(
  db: Executor,
  client: { id: string },
  overrides: {
    kid?: string;
    alg?: "RS256" | "ES256";
    bits?: number;
    createdAt?: Date;
    createdBy?: UserDto | null;
    expiresAt?: Date | null;
    lastUsedAt?: Date;
  } = {},
) {
  const alg = overrides.alg ?? "RS256";
  const bits = alg === "ES256" ? 256 : (overrides.bits ?? 2048);
  const { publicKey, privateKey } = await generateKeyPair(alg, { modulusLength: bits, extractable: true });
  const jwk = await exportJWK(publicKey);
  const thumbprint = await calculateJwkThumbprint(jwk, "sha256");
  const kid = overrides.kid ?? thumbprint;
  const { id } = await insertPublicKey(db, {
    clientId: client.id,
    kid,
    alg,
    keyType: alg === "ES256" ? "EC" : "RSA",
    jwk: { ...jwk, kid, alg, use: "sig" },
    thumbprint,
    bits,
    createdAt: overrides.createdAt ?? new Date(),
    createdByUserId: overrides.createdBy?.id ?? null,
    expiresAt: overrides.expiresAt ?? null,
  });
  if (overrides.lastUsedAt) await recordKeyUse(db, id, overrides.lastUsedAt);
  return { id, kid, thumbprint, privateKey };
}
