import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { WEBHOOK_EVENT_TYPES } from "../lib/webhooks/event-types";

/**
 * Rotor's whole data model. Where the database can make a bad state impossible it does:
 * foreign keys, unique keys and checks. Rules that depend on the clock (at most two *live*
 * secrets) are enforced by the data layer inside transactions that lock the client row.
 */

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

// ---------------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------------

export const membershipRole = pgEnum("membership_role", ["admin", "spoc", "member"]);
export const membershipStatus = pgEnum("membership_status", ["active", "deactivated"]);
/** Seed 000 lets admins read the secret again; seed 001 style "show once" never stores it decryptably. */
export const secretRevealPolicy = pgEnum("secret_reveal_policy", ["reveal", "show_once"]);
export const credentialIssuer = pgEnum("credential_issuer", ["user", "api_token", "cli", "auto", "seed"]);
export const actorType = pgEnum("actor_type", ["user", "api_token", "cli", "system"]);
export const outboxStatus = pgEnum("outbox_status", ["pending", "sent", "dead"]);
export const signingAlg = pgEnum("signing_alg", ["ES256", "RS256"]);
export const publicKeyAlg = pgEnum("public_key_alg", ["RS256", "PS256", "ES256"]);
/** Seed 001 separates Secret-Read from Secret-Reset: a token may read, or read and rotate. */
/**
 * read and rotate: an organisation's designated user (seed 001's Secret-Read and Secret-Reset);
 * platform: a platform operator's token, for no one organisation (docs/domain.md, "The management API").
 */
export const apiTokenScope = pgEnum("api_token_scope", ["read", "rotate", "platform"]);

// ---------------------------------------------------------------------------------------------
// Platform
// ---------------------------------------------------------------------------------------------

/** One row: the operator's platform-wide limits. */
export const platformSettings = pgTable(
  "platform_settings",
  {
    id: integer("id").primaryKey().default(1),
    serviceName: text("service_name").notNull().default("Rotor"),
    /** The API the platform protects, shown as "Endpoint" on the API tab (seed 000); null = our own /api/v1. */
    apiEndpoint: text("api_endpoint"),
    maxValidityDays: integer("max_validity_days").notNull().default(365),
    /** Audiences (resource identifiers) that clients may be granted (RFC 8707). */
    allowedAudiences: text("allowed_audiences").array().notNull().default(sql`'{}'::text[]`),
    adminsMayDesignateSpoc: boolean("admins_may_designate_spoc").notNull().default(false),
    /** Designated users may set their clients' JWKS URL (docs/domain.md); otherwise only the operator does. */
    spocsMaySetJwksUri: boolean("spocs_may_set_jwks_uri").notNull().default(true),
    /** Designated users may turn their clients' legacy aud switch on or off; otherwise only the operator does. */
    spocsMaySetLegacyAudience: boolean("spocs_may_set_legacy_audience").notNull().default(false),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("platform_settings_single_row", sql`${t.id} = 1`),
    check("platform_settings_max_validity", sql`${t.maxValidityDays} between 1 and 3650`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Auth.js tables (the Drizzle adapter's shape) + our own columns
// ---------------------------------------------------------------------------------------------

export const users = pgTable("user", {
  id: text("id")
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID()),
  name: text("name"),
  email: text("email").unique(),
  emailVerified: timestamp("emailVerified", { mode: "date", withTimezone: true }),
  image: text("image"),
  createdAt: createdAt(),
  /** When a session was last created for them; null for someone invited who never signed in. */
  lastSignedInAt: timestamp("last_signed_in_at", { withTimezone: true }),
});

export const accounts = pgTable(
  "account",
  {
    userId: text("userId")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").$type<"oauth" | "oidc" | "email" | "webauthn">().notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("providerAccountId").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index("account_user_idx").on(t.userId)],
);

export const sessions = pgTable(
  "session",
  {
    sessionToken: text("sessionToken").primaryKey(),
    userId: text("userId")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expires: timestamp("expires", { mode: "date", withTimezone: true }).notNull(),
    /**
     * When the person proved who they are for this session (the sign-in that created it). Auth.js
     * never changes it when it extends `expires`, so the dangerous actions can ask for a recent
     * sign-in (docs/security.md, "Step-up before dangerous actions").
     */
    authenticatedAt: timestamp("authenticatedAt", { mode: "date", withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("session_user_idx").on(t.userId)],
);

export const verificationTokens = pgTable(
  "verificationToken",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", { mode: "date", withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

export const platformOperators = pgTable("platform_operator", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  createdAt: createdAt(),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
});

// ---------------------------------------------------------------------------------------------
// Organisations
// ---------------------------------------------------------------------------------------------

export const organisations = pgTable(
  "organisation",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    /** IANA zone; calendar days (expiry, reminders) count here (domain.md). */
    timeZone: text("time_zone").notNull().default("Europe/London"),
    /** BCP 47 locale for dates: en-GB gives DD/MM/YYYY (seed 000). */
    locale: text("locale").notNull().default("en-GB"),
    validityDays: integer("validity_days").notNull().default(180),
    overlapDays: integer("overlap_days").notNull().default(30),
    /** Days before expiry; 0 is the expiry-day reminder (seed 000). */
    reminderOffsets: integer("reminder_offsets").array().notNull().default(sql`'{30,20,10,5,3,0}'::integer[]`),
    autoIssue: boolean("auto_issue").notNull().default(false),
    secretRevealPolicy: secretRevealPolicy("secret_reveal_policy").notNull().default("reveal"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("organisation_slug_format", sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
    check("organisation_name_present", sql`length(btrim(${t.name})) between 1 and 200`),
    check("organisation_validity_days", sql`${t.validityDays} between 1 and 3650`),
    check("organisation_overlap_days", sql`${t.overlapDays} >= 0 and ${t.overlapDays} < ${t.validityDays}`),
    // Two live secrets at most: the overlap must be under half the validity (docs/domain.md).
    check("organisation_overlap_under_half", sql`${t.overlapDays} * 2 < ${t.validityDays}`),
    check(
      "organisation_reminder_offsets",
      sql`cardinality(${t.reminderOffsets}) <= 12 and 0 <= all(${t.reminderOffsets}) and ${t.validityDays} >= all(${t.reminderOffsets})`,
    ),
  ],
);

export const offices = pgTable(
  "office",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    addressLine1: text("address_line1").notNull(),
    addressLine2: text("address_line2"),
    town: text("town").notNull(),
    postcode: text("postcode").notNull(),
    country: text("country").notNull().default("GB"),
    phone: text("phone"),
    createdAt: createdAt(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("office_org_name_unique").on(t.organisationId, sql`lower(${t.name})`),
    check("office_name_present", sql`length(btrim(${t.name})) between 1 and 200`),
  ],
);

export const memberships = pgTable(
  "membership",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: membershipRole("role").notNull(),
    status: membershipStatus("status").notNull().default("active"),
    officeId: uuid("office_id").references(() => offices.id, { onDelete: "set null" }),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    deactivatedAt: timestamp("deactivated_at", { withTimezone: true }),
    deactivatedBy: text("deactivated_by").references(() => users.id, { onDelete: "set null" }),
    /** When the invitation e-mail was last queued: a resend waits 10 minutes (lib/organisations/resend-invitation.ts). */
    invitationSentAt: timestamp("invitation_sent_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("membership_org_user_unique").on(t.organisationId, t.userId),
    // Seed 001: one designated user per organisation.
    uniqueIndex("membership_one_active_spoc").on(t.organisationId).where(sql`${t.role} = 'spoc' and ${t.status} = 'active'`),
    index("membership_user_idx").on(t.userId),
    check("membership_deactivation_recorded", sql`(${t.status} = 'deactivated') = (${t.deactivatedAt} is not null)`),
  ],
);

// ---------------------------------------------------------------------------------------------
// OAuth clients and their credentials
// ---------------------------------------------------------------------------------------------

export const oauthClients = pgTable(
  "oauth_client",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    /** The public client_id integrators send (seed 000 shows one like 0oa3z2bmnknMSvUdA0i7). */
    clientId: text("client_id").notNull().unique(),
    name: text("name").notNull(),
    allowedScopes: text("allowed_scopes").array().notNull().default(sql`'{}'::text[]`),
    allowedAudiences: text("allowed_audiences").array().notNull().default(sql`'{}'::text[]`),
    /**
     * The audience of a token request that names none: one of allowed_audiences, chosen on
     * purpose; null exactly when the client has none, and then the platform's own API
     * (`<issuer>/api/v1`) is its only audience (docs/domain.md, "Clients").
     */
    defaultAudience: text("default_audience"),
    accessTokenTtlSeconds: integer("access_token_ttl_seconds").notNull().default(3600),
    /** ES256 by default (about 13x cheaper to sign than RS256); RS256 for resource servers that need it. */
    accessTokenAlg: signingAlg("access_token_alg").notNull().default("ES256"),
    /** Also accept the token endpoint URL as assertion `aud` (pre-RFC 10070 clients). */
    legacyAudience: boolean("legacy_audience").notNull().default(false),
    createdAt: createdAt(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    /**
     * Where the client publishes its signing keys (docs/domain.md, "Keys at a JWKS URL"), used beside
     * its registered keys. https only in production (checked by the use case, which knows the mode).
     */
    jwksUri: text("jwks_uri"),
  },
  (t) => [
    index("oauth_client_org_idx").on(t.organisationId),
    check("oauth_client_id_format", sql`${t.clientId} ~ '^[A-Za-z0-9_-]{8,64}$'`),
    check("oauth_client_token_ttl", sql`${t.accessTokenTtlSeconds} between 60 and 86400`),
    check("oauth_client_jwks_uri", sql`${t.jwksUri} is null or (${t.jwksUri} ~ '^https?://' and length(${t.jwksUri}) <= 2000)`),
    check(
      "oauth_client_default_audience",
      sql`(${t.defaultAudience} is null and cardinality(${t.allowedAudiences}) = 0) or ${t.defaultAudience} = any(${t.allowedAudiences})`,
    ),
  ],
);

/**
 * What Rotor last fetched from a client's JWKS URL, shared by every instance (lib/oauth/client-jwks.ts
 * holds the rules). One row per client with a URL; it goes when the URL changes.
 */
export const clientJwks = pgTable("client_jwks", {
  clientId: uuid("client_id")
    .primaryKey()
    .references(() => oauthClients.id, { onDelete: "cascade" }),
  /** The URL these keys came from: a row for an older URL is never used. */
  uri: text("uri").notNull(),
  keys: jsonb("keys").$type<Record<string, unknown>[]>().notNull().default([]),
  fetchedAt: timestamp("fetched_at", { withTimezone: true }),
  freshUntil: timestamp("fresh_until", { withTimezone: true }),
  lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
  lastError: text("last_error"),
  failingSince: timestamp("failing_since", { withTimezone: true }),
  /** When the SPOC was told that fetching keeps failing; cleared by the next good fetch. */
  failureNoticeAt: timestamp("failure_notice_at", { withTimezone: true }),
});

export const clientSecrets = pgTable(
  "client_secret",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    /** SHA-256 of the secret, hex; what verification compares (constant time). */
    digest: text("digest").notNull().unique(),
    /** AES-256-GCM ciphertext for reveal; null under the show-once policy. */
    ciphertext: text("ciphertext"),
    encryptionKeyId: text("encryption_key_id"),
    /** The last characters, for the masked display. */
    maskedTail: text("masked_tail").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    issuedBy: credentialIssuer("issued_by").notNull(),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedByUserId: text("revoked_by_user_id").references(() => users.id, { onDelete: "set null" }),
    revokedReason: text("revoked_reason"),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    /** What the organisation calls it ("prod cluster, March"), so two live secrets can be told apart. */
    label: text("label"),
    /** The secret this one succeeds; at most one live successor each, so concurrent issuers cannot make a third. */
    replacesSecretId: uuid("replaces_secret_id").references((): AnyPgColumn => clientSecrets.id, { onDelete: "set null" }),
    /** When the scheduler recorded the expiry (once per secret). */
    expiryRecordedAt: timestamp("expiry_recorded_at", { withTimezone: true }),
  },
  (t) => [
    // A client's secrets that may still be live (expires_at after now) without reading its history:
    // the token endpoint's look-up and the scheduler's auto-issue (docs/scheduler-performance.md).
    index("client_secret_client_expires_idx").on(t.clientId, t.expiresAt),
    uniqueIndex("client_secret_one_live_successor").on(t.replacesSecretId).where(sql`${t.revokedAt} is null`),
    // The successor a reminder names, whether or not it was revoked since (the unique index above holds unrevoked ones only).
    index("client_secret_replaces_idx").on(t.replacesSecretId),
    index("client_secret_expires_idx").on(t.expiresAt),
    // Expiries still to record: a handful, however long the history (lib/data/scheduler.ts, recordExpiries).
    index("client_secret_unrecorded_expiry_idx").on(t.expiresAt).where(sql`${t.expiryRecordedAt} is null and ${t.revokedAt} is null`),
    check("client_secret_expires_after_created", sql`${t.expiresAt} > ${t.createdAt}`),
    check("client_secret_digest_format", sql`${t.digest} ~ '^[0-9a-f]{64}$'`),
    check("client_secret_cipher_has_key", sql`(${t.ciphertext} is null) = (${t.encryptionKeyId} is null)`),
    check("client_secret_masked_tail", sql`length(${t.maskedTail}) between 1 and 8`),
    check("client_secret_revocation", sql`${t.revokedAt} is not null or ${t.revokedReason} is null`),
    check("client_secret_label_length", sql`${t.label} is null or length(${t.label}) between 1 and 60`),
  ],
);

export const clientPublicKeys = pgTable(
  "client_public_key",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    kid: text("kid").notNull(),
    alg: publicKeyAlg("alg").notNull().default("RS256"),
    /** The key's family: RSA (RS256, PS256) or EC on P-256 (ES256); an assertion verifies only with its own family. */
    keyType: text("key_type", { enum: ["RSA", "EC"] }).notNull(),
    /** Public JWK only (seed 002: PEM or JWK accepted, stored as JWK). */
    jwk: jsonb("jwk").$type<Record<string, unknown>>().notNull(),
    /** RFC 7638 SHA-256 thumbprint, base64url. */
    thumbprint: text("thumbprint").notNull(),
    bits: integer("bits").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedByUserId: text("revoked_by_user_id").references(() => users.id, { onDelete: "set null" }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    expiryRecordedAt: timestamp("expiry_recorded_at", { withTimezone: true }),
    /** What the organisation calls it, beside its kid. */
    label: text("label"),
  },
  (t) => [
    uniqueIndex("client_public_key_kid_unique").on(t.clientId, t.kid),
    index("client_public_key_unrecorded_expiry_idx")
      .on(t.expiresAt)
      .where(sql`${t.expiresAt} is not null and ${t.expiryRecordedAt} is null and ${t.revokedAt} is null`),
    check("client_public_key_label_length", sql`${t.label} is null or length(${t.label}) between 1 and 60`),
    check("client_public_key_type", sql`${t.keyType} in ('RSA', 'EC')`),
    // Seed 002: RSA 2048 to 4096 bits, signing RS256 or PS256; or EC on P-256, signing ES256 (RFC 7518 3.4).
    check(
      "client_public_key_family",
      sql`(${t.keyType} = 'RSA' and ${t.bits} between 2048 and 4096 and ${t.alg} in ('RS256', 'PS256') and ${t.jwk} ->> 'kty' = 'RSA')
        or (${t.keyType} = 'EC' and ${t.bits} = 256 and ${t.alg} = 'ES256' and ${t.jwk} ->> 'kty' = 'EC' and ${t.jwk} ->> 'crv' = 'P-256')`,
    ),
    check("client_public_key_no_private_part", sql`not (${t.jwk} ? 'd')`),
    check("client_public_key_expiry", sql`${t.expiresAt} is null or ${t.expiresAt} > ${t.createdAt}`),
  ],
);

/** RFC 7523 3 (7): a jti is single-use; kept until exp + skew, then swept. */
export const consumedAssertions = pgTable(
  "consumed_assertion",
  {
    clientId: text("client_id").notNull(),
    jti: text("jti").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.jti] }), index("consumed_assertion_expires_idx").on(t.expiresAt)],
);

/**
 * Where each client has authenticated from, recently: an address its own systems use is not locked
 * out by a flood of failures aimed at its client_id from elsewhere (docs/security.md, "Rate
 * limits"). Written in batches by the usage recorder; old rows are swept.
 */
export const clientAddresses = pgTable(
  "client_address",
  {
    clientId: text("client_id")
      .notNull()
      .references(() => oauthClients.clientId, { onDelete: "cascade" }),
    address: text("address").notNull(),
    lastSuccessAt: timestamp("last_success_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.address] })],
);

/** The audiences each client asks for (coalesced, not one write per request). */
export const clientAudienceUsage = pgTable(
  "client_audience_usage",
  {
    clientId: uuid("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    audience: text("audience").notNull(),
    requestCount: integer("request_count").notNull().default(0),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.audience] })],
);

/** Last use of each key a client publishes at its JWKS URL, by kid (a published key has no row of its own). */
export const clientJwksKeyUse = pgTable(
  "client_jwks_key_use",
  {
    clientId: uuid("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    kid: text("kid").notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.kid] })],
);

/**
 * The aud values a client's assertions carried, once their signature verified (so only the client
 * itself can put a value here): the API tab shows them, so the designated user sees whether a system
 * still sends the token endpoint URL, and whether the legacy switch is still needed (docs/domain.md).
 */
export const clientAssertionAudience = pgTable(
  "client_assertion_audience",
  {
    clientId: uuid("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    audience: text("audience").notNull(),
    requestCount: integer("request_count").notNull().default(0),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.audience] }), check("client_assertion_audience_length", sql`length(${t.audience}) <= 300`)],
);

// ---------------------------------------------------------------------------------------------
// Reminders, e-mail, audit
// ---------------------------------------------------------------------------------------------

/** Seed 000: each reminder once per credential and threshold; the unique keys make it so. */
export const reminderDeliveries = pgTable(
  "reminder_delivery",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    secretId: uuid("secret_id").references(() => clientSecrets.id, { onDelete: "cascade" }),
    publicKeyId: uuid("public_key_id").references(() => clientPublicKeys.id, { onDelete: "cascade" }),
    thresholdDays: integer("threshold_days").notNull(),
    /** The calendar day (organisation's zone) it was due. */
    dueOn: date("due_on").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("reminder_delivery_secret_unique").on(t.secretId, t.thresholdDays),
    uniqueIndex("reminder_delivery_key_unique").on(t.publicKeyId, t.thresholdDays),
    check("reminder_delivery_one_credential", sql`num_nonnulls(${t.secretId}, ${t.publicKeyId}) = 1`),
    check("reminder_delivery_threshold", sql`${t.thresholdDays} >= 0`),
  ],
);

export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id").references(() => organisations.id, { onDelete: "cascade" }),
    reminderDeliveryId: uuid("reminder_delivery_id").references(() => reminderDeliveries.id, {
      onDelete: "set null",
    }),
    kind: text("kind").notNull(),
    toAddresses: text("to_addresses").array().notNull(),
    subject: text("subject").notNull(),
    /** Rendered at delivery from template + data, so enqueueing stays set-based SQL. */
    template: text("template").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    html: text("html"),
    text: text("text"),
    /** "resend", or "dev-mailbox" when no Resend key is configured (development and demo only). */
    provider: text("provider"),
    status: outboxStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    index("email_outbox_due_idx").on(t.status, t.nextAttemptAt),
    check("email_outbox_recipients", sql`cardinality(${t.toAddresses}) >= 1`),
    check("email_outbox_attempts", sql`${t.attempts} >= 0`),
    check("email_outbox_sent_has_time", sql`(${t.status} = 'sent') = (${t.sentAt} is not null)`),
  ],
);

/** Who did what, when, from where; never a secret value (docs/docs/architecture.md, convention 5). */
export const auditEvents = pgTable(
  "audit_event",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organisationId: uuid("organisation_id").references(() => organisations.id, { onDelete: "cascade" }),
    actorType: actorType("actor_type").notNull(),
    actorUserId: text("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    ip: text("ip"),
    userAgent: text("user_agent"),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // The audit log pages by (occurred_at, id) descending within an organisation, and across
  // organisations for the operator and the retention sweep (docs/domain.md, "The audit log").
  (t) => [
    index("audit_event_org_time_id_idx").on(t.organisationId, t.occurredAt, t.id),
    index("audit_event_time_id_idx").on(t.occurredAt, t.id),
  ],
);

/** Seed 001's "user token": the SPOC's personal token for the management API. */
export const personalApiTokens = pgTable(
  "personal_api_token",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The organisation a designated user's token acts in; null for an operator's platform token. */
    organisationId: uuid("organisation_id").references(() => organisations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    digest: text("digest").notNull().unique(),
    maskedTail: text("masked_tail").notNull(),
    /** Chosen at creation; never more than the owner's role allows, checked on every request. */
    scope: apiTokenScope("scope").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [
    index("personal_api_token_user_idx").on(t.userId),
    check("personal_api_token_expiry", sql`${t.expiresAt} > ${t.createdAt}`),
    check("personal_api_token_digest_format", sql`${t.digest} ~ '^[0-9a-f]{64}$'`),
    // A platform token belongs to no organisation, and every other token to exactly one. Compared
    // as text: a migration may not use an enum value it adds in the same transaction.
    check("personal_api_token_platform_scope", sql`(${t.scope}::text = 'platform') = (${t.organisationId} is null)`),
  ],
);

/**
 * Rate-limit counters shared by every instance, in the shape rate-limiter-flexible's Postgres store
 * reads and writes (lib/data/rate-limit-store.ts): a key, the points used, and when the window
 * ends (epoch milliseconds). Keys are digests, never an e-mail or an address in clear.
 */
export const rateLimits = pgTable("rate_limit", {
  key: varchar("key", { length: 255 }).primaryKey(),
  points: integer("points").notNull().default(0),
  expire: bigint("expire", { mode: "number" }),
});

/** Idempotency-Key replays for management API POSTs. */
export const idempotencyRecords = pgTable(
  "idempotency_record",
  {
    tokenId: uuid("token_id")
      .notNull()
      .references(() => personalApiTokens.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    requestFingerprint: text("request_fingerprint").notNull(),
    responseStatus: integer("response_status").notNull(),
    responseBody: jsonb("response_body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tokenId, t.key] })],
);

/**
 * The platform's own access-token signing keys. A key is published in the JWKS from
 * created_at, signs only from activates_at (at least 24 h later: relying parties cache
 * JWKS for 24 h, seed 003), stops signing at retires_at, and leaves the JWKS at remove_after.
 */
export const signingKeys = pgTable(
  "signing_key",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kid: text("kid").notNull().unique(),
    alg: signingAlg("alg").notNull(),
    publicJwk: jsonb("public_jwk").$type<Record<string, unknown>>().notNull(),
    privateCiphertext: text("private_ciphertext").notNull(),
    encryptionKeyId: text("encryption_key_id").notNull(),
    createdAt: createdAt(),
    activatesAt: timestamp("activates_at", { withTimezone: true }).notNull(),
    retiresAt: timestamp("retires_at", { withTimezone: true }).notNull(),
    removeAfter: timestamp("remove_after", { withTimezone: true }).notNull(),
  },
  (t) => [
    check(
      "signing_key_order",
      sql`${t.activatesAt} >= ${t.createdAt} and ${t.retiresAt} > ${t.activatesAt} and ${t.removeAfter} >= ${t.retiresAt}`,
    ),
    check("signing_key_public_only", sql`not (${t.publicJwk} ? 'd')`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Webhooks (docs/webhooks.md)
// ---------------------------------------------------------------------------------------------

/**
 * An HTTPS address told about credential events: an organisation's (its admins and designated
 * user register it) or, with no organisation, the operator's, told about every organisation.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoint",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Null: a platform-wide endpoint, registered by an operator. */
    organisationId: uuid("organisation_id").references(() => organisations.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description"),
    /** The event types it is sent (lib/webhooks/catalogue.ts); at least one. */
    eventTypes: text("event_types").array().notNull(),
    createdAt: createdAt(),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /** Set by a person, or by delivery once the endpoint has kept failing (disabledReason "failing"). */
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    disabledReason: text("disabled_reason"),
    /** The first failed attempt since its last success; null while it answers. */
    failingSince: timestamp("failing_since", { withTimezone: true }),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  },
  (t) => [
    index("webhook_endpoint_org_idx").on(t.organisationId),
    check("webhook_endpoint_url", sql`${t.url} ~ '^https?://' and length(${t.url}) <= 2000`),
    check("webhook_endpoint_description", sql`${t.description} is null or length(${t.description}) between 1 and 200`),
    check("webhook_endpoint_events", sql`cardinality(${t.eventTypes}) >= 1`),
    check(
      "webhook_endpoint_known_events",
      sql`${t.eventTypes} <@ array[${sql.raw(WEBHOOK_EVENT_TYPES.map((e) => `'${e}'`).join(", "))}]::text[]`,
    ),
    check("webhook_endpoint_disabled", sql`(${t.disabledAt} is null) = (${t.disabledReason} is null)`),
    check("webhook_endpoint_failures", sql`${t.consecutiveFailures} >= 0`),
  ],
);

/**
 * An endpoint's signing secrets (Standard Webhooks' whsec_ keys). The current one has no
 * expiry; a rotation gives the old one an expiry, and until then every delivery carries a
 * signature by each, so a receiver can switch keys without missing an event.
 */
export const webhookSigningSecrets = pgTable(
  "webhook_signing_secret",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    /** AES-256-GCM ciphertext of the whsec_ value: deliveries must sign with it. */
    ciphertext: text("ciphertext").notNull(),
    encryptionKeyId: text("encryption_key_id").notNull(),
    maskedTail: text("masked_tail").notNull(),
    createdAt: createdAt(),
    /** Null: the current secret; otherwise it signs until then. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("webhook_signing_secret_one_current").on(t.endpointId).where(sql`${t.expiresAt} is null`),
    check("webhook_signing_secret_masked_tail", sql`length(${t.maskedTail}) between 1 and 8`),
  ],
);

/**
 * What happened, as sent: the whole JSON body (type, timestamp, data; never a secret value). Written
 * by the database itself when the change is audited or a reminder is recorded (migration
 * 0023_webhooks), so no code path can change a credential without its event.
 */
export const webhookEvents = pgTable(
  "webhook_event",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id").references(() => organisations.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** For events that happen once per thing (a reminder day, an old secret still in use). */
    dedupeKey: text("dedupe_key").unique(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_event_time_idx").on(t.occurredAt)],
);

/** One event for one endpoint: sent once (the unique key), retried with the e-mail outbox's backoff. */
export const webhookDeliveries = pgTable(
  "webhook_delivery",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    status: outboxStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** The last attempt: the receiver's status code (null if none came), how long it took, and why it failed. */
    lastStatusCode: integer("last_status_code"),
    lastLatencyMs: integer("last_latency_ms"),
    lastError: text("last_error"),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    createdAt: createdAt(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("webhook_delivery_once").on(t.eventId, t.endpointId),
    index("webhook_delivery_due_idx").on(t.status, t.nextAttemptAt),
    index("webhook_delivery_endpoint_idx").on(t.endpointId, t.createdAt),
    check("webhook_delivery_attempts", sql`${t.attempts} >= 0`),
    check("webhook_delivery_sent_has_time", sql`(${t.status} = 'sent') = (${t.deliveredAt} is not null)`),
  ],
);

export type Organisation = typeof organisations.$inferSelect;
export type Office = typeof offices.$inferSelect;
export type User = typeof users.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type MembershipRole = (typeof membershipRole.enumValues)[number];
export type OAuthClient = typeof oauthClients.$inferSelect;
export type ClientSecret = typeof clientSecrets.$inferSelect;
export type ClientPublicKey = typeof clientPublicKeys.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type PlatformSettings = typeof platformSettings.$inferSelect;
