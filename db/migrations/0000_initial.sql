CREATE TYPE "public"."actor_type" AS ENUM('user', 'api_token', 'cli', 'system');--> statement-breakpoint
CREATE TYPE "public"."credential_issuer" AS ENUM('user', 'api_token', 'cli', 'auto', 'seed');--> statement-breakpoint
CREATE TYPE "public"."membership_role" AS ENUM('admin', 'spoc', 'member');--> statement-breakpoint
CREATE TYPE "public"."membership_status" AS ENUM('active', 'deactivated');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'sent', 'dead');--> statement-breakpoint
CREATE TYPE "public"."public_key_alg" AS ENUM('RS256', 'PS256', 'ES256');--> statement-breakpoint
CREATE TYPE "public"."secret_reveal_policy" AS ENUM('reveal', 'show_once');--> statement-breakpoint
CREATE TYPE "public"."signing_alg" AS ENUM('ES256', 'RS256');--> statement-breakpoint
CREATE TABLE "account" (
	"userId" text NOT NULL,
	"type" text NOT NULL,
	"provider" text NOT NULL,
	"providerAccountId" text NOT NULL,
	"refresh_token" text,
	"access_token" text,
	"expires_at" integer,
	"token_type" text,
	"scope" text,
	"id_token" text,
	"session_state" text,
	CONSTRAINT "account_provider_providerAccountId_pk" PRIMARY KEY("provider","providerAccountId")
);
--> statement-breakpoint
CREATE TABLE "audit_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organisation_id" uuid,
	"actor_type" "actor_type" NOT NULL,
	"actor_user_id" text,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ip" text,
	"user_agent" text,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "client_audience_usage" (
	"client_id" uuid NOT NULL,
	"audience" text NOT NULL,
	"request_count" integer DEFAULT 0 NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "client_audience_usage_client_id_audience_pk" PRIMARY KEY("client_id","audience")
);
--> statement-breakpoint
CREATE TABLE "client_public_key" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"kid" text NOT NULL,
	"alg" "public_key_alg" DEFAULT 'RS256' NOT NULL,
	"jwk" jsonb NOT NULL,
	"thumbprint" text NOT NULL,
	"bits" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"created_by_user_id" text,
	"revoked_at" timestamp with time zone,
	"revoked_by_user_id" text,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "client_public_key_bits" CHECK ("client_public_key"."bits" between 2048 and 4096),
	CONSTRAINT "client_public_key_no_private_part" CHECK (not ("client_public_key"."jwk" ? 'd')),
	CONSTRAINT "client_public_key_expiry" CHECK ("client_public_key"."expires_at" is null or "client_public_key"."expires_at" > "client_public_key"."created_at")
);
--> statement-breakpoint
CREATE TABLE "client_secret" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"digest" text NOT NULL,
	"ciphertext" text,
	"encryption_key_id" text,
	"masked_tail" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"issued_by" "credential_issuer" NOT NULL,
	"created_by_user_id" text,
	"revoked_at" timestamp with time zone,
	"revoked_by_user_id" text,
	"revoked_reason" text,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "client_secret_digest_unique" UNIQUE("digest"),
	CONSTRAINT "client_secret_expires_after_created" CHECK ("client_secret"."expires_at" > "client_secret"."created_at"),
	CONSTRAINT "client_secret_digest_format" CHECK ("client_secret"."digest" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "client_secret_cipher_has_key" CHECK (("client_secret"."ciphertext" is null) = ("client_secret"."encryption_key_id" is null)),
	CONSTRAINT "client_secret_masked_tail" CHECK (length("client_secret"."masked_tail") between 1 and 8),
	CONSTRAINT "client_secret_revocation" CHECK ("client_secret"."revoked_at" is not null or "client_secret"."revoked_reason" is null)
);
--> statement-breakpoint
CREATE TABLE "consumed_assertion" (
	"client_id" text NOT NULL,
	"jti" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "consumed_assertion_client_id_jti_pk" PRIMARY KEY("client_id","jti")
);
--> statement-breakpoint
CREATE TABLE "email_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid,
	"reminder_delivery_id" uuid,
	"kind" text NOT NULL,
	"to_addresses" text[] NOT NULL,
	"subject" text NOT NULL,
	"html" text NOT NULL,
	"text" text NOT NULL,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"provider_message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "email_outbox_recipients" CHECK (cardinality("email_outbox"."to_addresses") >= 1),
	CONSTRAINT "email_outbox_attempts" CHECK ("email_outbox"."attempts" >= 0),
	CONSTRAINT "email_outbox_sent_has_time" CHECK (("email_outbox"."status" = 'sent') = ("email_outbox"."sent_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "idempotency_record" (
	"token_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_fingerprint" text NOT NULL,
	"response_status" integer NOT NULL,
	"response_body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_record_token_id_key_pk" PRIMARY KEY("token_id","key")
);
--> statement-breakpoint
CREATE TABLE "membership" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"role" "membership_role" NOT NULL,
	"status" "membership_status" DEFAULT 'active' NOT NULL,
	"office_id" uuid,
	"invited_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deactivated_at" timestamp with time zone,
	"deactivated_by" text,
	CONSTRAINT "membership_deactivation_recorded" CHECK (("membership"."status" = 'deactivated') = ("membership"."deactivated_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "oauth_client" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"client_id" text NOT NULL,
	"name" text NOT NULL,
	"allowed_scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"allowed_audiences" text[] DEFAULT '{}'::text[] NOT NULL,
	"access_token_ttl_seconds" integer DEFAULT 3600 NOT NULL,
	"legacy_audience" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "oauth_client_client_id_unique" UNIQUE("client_id"),
	CONSTRAINT "oauth_client_id_format" CHECK ("oauth_client"."client_id" ~ '^[A-Za-z0-9_-]{8,64}$'),
	CONSTRAINT "oauth_client_token_ttl" CHECK ("oauth_client"."access_token_ttl_seconds" between 60 and 86400)
);
--> statement-breakpoint
CREATE TABLE "office" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address_line1" text NOT NULL,
	"address_line2" text,
	"town" text NOT NULL,
	"postcode" text NOT NULL,
	"country" text DEFAULT 'GB' NOT NULL,
	"phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "office_name_present" CHECK (length(btrim("office"."name")) between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "organisation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"time_zone" text DEFAULT 'Europe/London' NOT NULL,
	"locale" text DEFAULT 'en-GB' NOT NULL,
	"validity_days" integer DEFAULT 180 NOT NULL,
	"overlap_days" integer DEFAULT 30 NOT NULL,
	"reminder_offsets" integer[] DEFAULT '{30,20,10,5,3,0}'::integer[] NOT NULL,
	"auto_issue" boolean DEFAULT false NOT NULL,
	"secret_reveal_policy" "secret_reveal_policy" DEFAULT 'reveal' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_slug_unique" UNIQUE("slug"),
	CONSTRAINT "organisation_slug_format" CHECK ("organisation"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	CONSTRAINT "organisation_name_present" CHECK (length(btrim("organisation"."name")) between 1 and 200),
	CONSTRAINT "organisation_validity_days" CHECK ("organisation"."validity_days" between 1 and 3650),
	CONSTRAINT "organisation_overlap_days" CHECK ("organisation"."overlap_days" >= 0 and "organisation"."overlap_days" < "organisation"."validity_days"),
	CONSTRAINT "organisation_reminder_offsets" CHECK (cardinality("organisation"."reminder_offsets") <= 12 and 0 <= all("organisation"."reminder_offsets") and "organisation"."validity_days" >= all("organisation"."reminder_offsets"))
);
--> statement-breakpoint
CREATE TABLE "personal_api_token" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"digest" text NOT NULL,
	"masked_tail" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "personal_api_token_digest_unique" UNIQUE("digest"),
	CONSTRAINT "personal_api_token_expiry" CHECK ("personal_api_token"."expires_at" > "personal_api_token"."created_at"),
	CONSTRAINT "personal_api_token_digest_format" CHECK ("personal_api_token"."digest" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "platform_operator" (
	"user_id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "platform_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"service_name" text DEFAULT 'Rotor' NOT NULL,
	"api_endpoint" text,
	"max_validity_days" integer DEFAULT 365 NOT NULL,
	"allowed_audiences" text[] DEFAULT '{}'::text[] NOT NULL,
	"admins_may_designate_spoc" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "platform_settings_single_row" CHECK ("platform_settings"."id" = 1),
	CONSTRAINT "platform_settings_max_validity" CHECK ("platform_settings"."max_validity_days" between 1 and 3650)
);
--> statement-breakpoint
CREATE TABLE "reminder_delivery" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"secret_id" uuid,
	"public_key_id" uuid,
	"threshold_days" integer NOT NULL,
	"due_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reminder_delivery_one_credential" CHECK (num_nonnulls("reminder_delivery"."secret_id", "reminder_delivery"."public_key_id") = 1),
	CONSTRAINT "reminder_delivery_threshold" CHECK ("reminder_delivery"."threshold_days" >= 0)
);
--> statement-breakpoint
CREATE TABLE "session" (
	"sessionToken" text PRIMARY KEY NOT NULL,
	"userId" text NOT NULL,
	"expires" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_key" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kid" text NOT NULL,
	"alg" "signing_alg" NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_ciphertext" text NOT NULL,
	"encryption_key_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activates_at" timestamp with time zone NOT NULL,
	"retires_at" timestamp with time zone NOT NULL,
	"remove_after" timestamp with time zone NOT NULL,
	CONSTRAINT "signing_key_kid_unique" UNIQUE("kid"),
	CONSTRAINT "signing_key_order" CHECK ("signing_key"."activates_at" >= "signing_key"."created_at" and "signing_key"."retires_at" > "signing_key"."activates_at" and "signing_key"."remove_after" >= "signing_key"."retires_at"),
	CONSTRAINT "signing_key_public_only" CHECK (not ("signing_key"."public_jwk" ? 'd'))
);
--> statement-breakpoint
CREATE TABLE "user" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"email" text,
	"emailVerified" timestamp with time zone,
	"image" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "verificationToken" (
	"identifier" text NOT NULL,
	"token" text NOT NULL,
	"expires" timestamp with time zone NOT NULL,
	CONSTRAINT "verificationToken_identifier_token_pk" PRIMARY KEY("identifier","token")
);
--> statement-breakpoint
ALTER TABLE "account" ADD CONSTRAINT "account_userId_user_id_fk" FOREIGN KEY ("userId") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_actor_user_id_user_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_audience_usage" ADD CONSTRAINT "client_audience_usage_client_id_oauth_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oauth_client"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_public_key" ADD CONSTRAINT "client_public_key_client_id_oauth_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oauth_client"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_public_key" ADD CONSTRAINT "client_public_key_created_by_user_id_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_public_key" ADD CONSTRAINT "client_public_key_revoked_by_user_id_user_id_fk" FOREIGN KEY ("revoked_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_secret" ADD CONSTRAINT "client_secret_client_id_oauth_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oauth_client"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_secret" ADD CONSTRAINT "client_secret_created_by_user_id_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_secret" ADD CONSTRAINT "client_secret_revoked_by_user_id_user_id_fk" FOREIGN KEY ("revoked_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD CONSTRAINT "email_outbox_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD CONSTRAINT "email_outbox_reminder_delivery_id_reminder_delivery_id_fk" FOREIGN KEY ("reminder_delivery_id") REFERENCES "public"."reminder_delivery"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_record" ADD CONSTRAINT "idempotency_record_token_id_personal_api_token_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."personal_api_token"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_office_id_office_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."office"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_invited_by_user_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_deactivated_by_user_id_fk" FOREIGN KEY ("deactivated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_client" ADD CONSTRAINT "oauth_client_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "office" ADD CONSTRAINT "office_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personal_api_token" ADD CONSTRAINT "personal_api_token_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personal_api_token" ADD CONSTRAINT "personal_api_token_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_operator" ADD CONSTRAINT "platform_operator_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_operator" ADD CONSTRAINT "platform_operator_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_delivery" ADD CONSTRAINT "reminder_delivery_secret_id_client_secret_id_fk" FOREIGN KEY ("secret_id") REFERENCES "public"."client_secret"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_delivery" ADD CONSTRAINT "reminder_delivery_public_key_id_client_public_key_id_fk" FOREIGN KEY ("public_key_id") REFERENCES "public"."client_public_key"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_userId_user_id_fk" FOREIGN KEY ("userId") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_user_idx" ON "account" USING btree ("userId");--> statement-breakpoint
CREATE INDEX "audit_event_org_time_idx" ON "audit_event" USING btree ("organisation_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "client_public_key_kid_unique" ON "client_public_key" USING btree ("client_id","kid");--> statement-breakpoint
CREATE INDEX "client_secret_client_idx" ON "client_secret" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "client_secret_expires_idx" ON "client_secret" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "consumed_assertion_expires_idx" ON "consumed_assertion" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "email_outbox_due_idx" ON "email_outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "membership_org_user_unique" ON "membership" USING btree ("organisation_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "membership_one_active_spoc" ON "membership" USING btree ("organisation_id") WHERE "membership"."role" = 'spoc' and "membership"."status" = 'active';--> statement-breakpoint
CREATE INDEX "membership_user_idx" ON "membership" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "oauth_client_org_idx" ON "oauth_client" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "office_org_name_unique" ON "office" USING btree ("organisation_id",lower("name"));--> statement-breakpoint
CREATE INDEX "personal_api_token_user_idx" ON "personal_api_token" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reminder_delivery_secret_unique" ON "reminder_delivery" USING btree ("secret_id","threshold_days");--> statement-breakpoint
CREATE UNIQUE INDEX "reminder_delivery_key_unique" ON "reminder_delivery" USING btree ("public_key_id","threshold_days");--> statement-breakpoint
CREATE INDEX "session_user_idx" ON "session" USING btree ("userId");