CREATE TABLE "webhook_delivery" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_status_code" integer,
	"last_latency_ms" integer,
	"last_error" text,
	"last_attempt_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "webhook_delivery_attempts" CHECK ("webhook_delivery"."attempts" >= 0),
	CONSTRAINT "webhook_delivery_sent_has_time" CHECK (("webhook_delivery"."status" = 'sent') = ("webhook_delivery"."delivered_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoint" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid,
	"url" text NOT NULL,
	"description" text,
	"event_types" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by_user_id" text,
	"disabled_at" timestamp with time zone,
	"disabled_reason" text,
	"failing_since" timestamp with time zone,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "webhook_endpoint_url" CHECK ("webhook_endpoint"."url" ~ '^https?://' and length("webhook_endpoint"."url") <= 2000),
	CONSTRAINT "webhook_endpoint_description" CHECK ("webhook_endpoint"."description" is null or length("webhook_endpoint"."description") between 1 and 200),
	CONSTRAINT "webhook_endpoint_events" CHECK (cardinality("webhook_endpoint"."event_types") >= 1),
	CONSTRAINT "webhook_endpoint_known_events" CHECK ("webhook_endpoint"."event_types" <@ array['secret.issued', 'secret.expiring', 'secret.expired', 'secret.revoked', 'old_secret.still_in_use', 'key.registered', 'key.expiring', 'key.expired', 'key.revoked', 'client.changed']::text[]),
	CONSTRAINT "webhook_endpoint_disabled" CHECK (("webhook_endpoint"."disabled_at" is null) = ("webhook_endpoint"."disabled_reason" is null)),
	CONSTRAINT "webhook_endpoint_failures" CHECK ("webhook_endpoint"."consecutive_failures" >= 0)
);
--> statement-breakpoint
CREATE TABLE "webhook_event" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"dedupe_key" text,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_event_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "webhook_signing_secret" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"ciphertext" text NOT NULL,
	"encryption_key_id" text NOT NULL,
	"masked_tail" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	CONSTRAINT "webhook_signing_secret_masked_tail" CHECK (length("webhook_signing_secret"."masked_tail") between 1 and 8)
);
--> statement-breakpoint
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_event_id_webhook_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."webhook_event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_endpoint_id_webhook_endpoint_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoint"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "webhook_endpoint_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "webhook_endpoint_created_by_user_id_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_event" ADD CONSTRAINT "webhook_event_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_signing_secret" ADD CONSTRAINT "webhook_signing_secret_endpoint_id_webhook_endpoint_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoint"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_delivery_once" ON "webhook_delivery" USING btree ("event_id","endpoint_id");--> statement-breakpoint
CREATE INDEX "webhook_delivery_due_idx" ON "webhook_delivery" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "webhook_delivery_endpoint_idx" ON "webhook_delivery" USING btree ("endpoint_id","created_at");--> statement-breakpoint
CREATE INDEX "webhook_endpoint_org_idx" ON "webhook_endpoint" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "webhook_event_time_idx" ON "webhook_event" USING btree ("occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_signing_secret_one_current" ON "webhook_signing_secret" USING btree ("endpoint_id") WHERE "webhook_signing_secret"."expires_at" is null;--> statement-breakpoint
-- Webhook events are written by the database when the change they report is recorded (an audit
-- event, a reminder), in the same transaction, so no code path (the portal, the management API,
-- the CLI, the scheduler's set-based SQL, a future endpoint) can change a credential without its
-- event (docs/webhooks.md). Payloads name ids, masked tails and dates, never a secret value.
--
-- An instant as JSON: ISO 8601 in UTC with milliseconds, whatever the session's time zone.
CREATE FUNCTION rotor_iso(at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
--> statement-breakpoint
-- expiryDateOf (lib/rotation/secret-state.ts) as lib/data/schedule-sql.ts's expiryDay writes it: the
-- calendar day of a credential's last accepted instant; lib/data/schedule-sql.integration.test.ts
-- proves the three equal.
CREATE FUNCTION rotor_expiry_day(expires_at timestamptz, zone text) RETURNS date LANGUAGE sql IMMUTABLE AS $$
  SELECT ((expires_at - interval '1 millisecond') AT TIME ZONE zone)::date
$$;
--> statement-breakpoint
CREATE FUNCTION rotor_webhook_client(client uuid) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'organisation', jsonb_build_object('id', o.id, 'slug', o.slug, 'name', o.name),
    'client', jsonb_build_object('clientId', c.client_id, 'name', c.name))
  FROM oauth_client c JOIN organisation o ON o.id = c.organisation_id
  WHERE c.id = client
$$;
--> statement-breakpoint
CREATE FUNCTION rotor_webhook_secret(secret uuid) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', s.id, 'maskedValue', s.masked_tail, 'label', s.label, 'issuedBy', s.issued_by,
    'createdAt', rotor_iso(s.created_at), 'expiresAt', rotor_iso(s.expires_at),
    'expiresOn', rotor_expiry_day(s.expires_at, o.time_zone)::text,
    'revokedAt', rotor_iso(s.revoked_at), 'lastUsedAt', rotor_iso(s.last_used_at))
  FROM client_secret s JOIN oauth_client c ON c.id = s.client_id JOIN organisation o ON o.id = c.organisation_id
  WHERE s.id = secret
$$;
--> statement-breakpoint
CREATE FUNCTION rotor_webhook_key(key uuid) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', k.id, 'kid', k.kid, 'alg', k.alg, 'thumbprint', k.thumbprint, 'label', k.label,
    'createdAt', rotor_iso(k.created_at), 'expiresAt', rotor_iso(k.expires_at),
    'expiresOn', CASE WHEN k.expires_at IS NULL THEN NULL ELSE rotor_expiry_day(k.expires_at, o.time_zone)::text END,
    'revokedAt', rotor_iso(k.revoked_at), 'lastUsedAt', rotor_iso(k.last_used_at))
  FROM client_public_key k JOIN oauth_client c ON c.id = k.client_id JOIN organisation o ON o.id = c.organisation_id
  WHERE k.id = key
$$;
--> statement-breakpoint
-- Whether any enabled endpoint would be sent this event: an event nobody subscribes to is not
-- recorded (and its payload not built), so the scheduler's reminder wave costs one index probe per
-- reminder where no endpoint listens.
CREATE FUNCTION rotor_webhook_wanted(org uuid, kind text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM webhook_endpoint e
    WHERE e.disabled_at IS NULL AND (e.organisation_id = org OR e.organisation_id IS NULL) AND kind = ANY (e.event_types))
$$;
--> statement-breakpoint
-- Records one event; the body is Standard Webhooks' shape: type, timestamp, data. A dedupe key
-- already taken records nothing (an event that happens once per thing). Returns the event's id.
CREATE FUNCTION rotor_emit_webhook(org uuid, kind text, data jsonb, dedupe text, at timestamptz) RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
  event_id uuid;
BEGIN
  IF data IS NULL OR NOT rotor_webhook_wanted(org, kind) THEN
    RETURN NULL;
  END IF;
  INSERT INTO webhook_event (organisation_id, type, payload, dedupe_key, occurred_at)
  VALUES (org, kind, jsonb_build_object('type', kind, 'timestamp', rotor_iso(at), 'data', data), dedupe, at)
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING id INTO event_id;
  RETURN event_id;
END
$$;
--> statement-breakpoint
-- An event becomes one delivery for each enabled endpoint subscribed to it: the organisation's
-- and the platform's (organisation_id null). A test event is for the one endpoint that asked.
CREATE FUNCTION rotor_webhook_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_delivery (event_id, endpoint_id, next_attempt_at, created_at)
  SELECT NEW.id, e.id, NEW.occurred_at, NEW.occurred_at
  FROM webhook_endpoint e
  WHERE e.disabled_at IS NULL
    AND (e.organisation_id = NEW.organisation_id OR e.organisation_id IS NULL)
    AND NEW.type = ANY (e.event_types);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER webhook_event_fan_out AFTER INSERT ON webhook_event
  FOR EACH ROW WHEN (NEW.type <> 'webhook.test') EXECUTE FUNCTION rotor_webhook_fan_out();
--> statement-breakpoint
-- The audit trail's credential events, as webhook events (lib/webhooks/catalogue.ts lists the
-- pairs; lib/webhooks/emission.integration.test.ts proves every pair and payload).
CREATE FUNCTION rotor_webhook_from_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target uuid;
  client uuid;
  revoked text;
  previous uuid;
BEGIN
  IF NEW.target_id IS NULL OR NEW.target_id !~ '^[0-9a-f-]{36}$' THEN
    RETURN NULL;
  END IF;
  target := NEW.target_id::uuid;
  -- Nothing to build when no endpoint of the organisation or the platform listens at all.
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoint e WHERE e.disabled_at IS NULL
                 AND (e.organisation_id = NEW.organisation_id OR e.organisation_id IS NULL)) THEN
    RETURN NULL;
  END IF;
  IF NEW.target_type = 'client_secret' THEN
    SELECT s.client_id, s.replaces_secret_id INTO client, previous FROM client_secret s WHERE s.id = target;
    IF NEW.action IN ('secret.rotated', 'secret.rotated_after_compromise', 'secret.auto_issued') THEN
      PERFORM rotor_emit_webhook(NEW.organisation_id, 'secret.issued',
        rotor_webhook_client(client) || jsonb_build_object(
          'reason', substr(NEW.action, 8),
          'secret', rotor_webhook_secret(target),
          'previousSecret', CASE WHEN previous IS NULL THEN NULL ELSE rotor_webhook_secret(previous) END),
        NULL, NEW.occurred_at);
      FOR revoked IN SELECT jsonb_array_elements_text(coalesce(NEW.metadata -> 'revokedSecretIds', '[]'::jsonb)) LOOP
        PERFORM rotor_emit_webhook(NEW.organisation_id, 'secret.revoked',
          rotor_webhook_client(client) || jsonb_build_object('secret', rotor_webhook_secret(revoked::uuid)),
          NULL, NEW.occurred_at);
      END LOOP;
    ELSIF NEW.action IN ('secret.revoked', 'secret.expired') THEN
      PERFORM rotor_emit_webhook(NEW.organisation_id, NEW.action,
        rotor_webhook_client(client) || jsonb_build_object('secret', rotor_webhook_secret(target)),
        NULL, NEW.occurred_at);
    END IF;
  ELSIF NEW.target_type = 'client_public_key' AND NEW.action IN ('key.registered', 'key.revoked', 'key.expired') THEN
    SELECT k.client_id INTO client FROM client_public_key k WHERE k.id = target;
    PERFORM rotor_emit_webhook(NEW.organisation_id, NEW.action,
      rotor_webhook_client(client) || jsonb_build_object('key', rotor_webhook_key(target)),
      NULL, NEW.occurred_at);
  ELSIF NEW.target_type = 'oauth_client'
    AND NEW.action IN ('client.settings_updated', 'client.disabled', 'client.enabled', 'client.jwks_uri_changed') THEN
    PERFORM rotor_emit_webhook(NEW.organisation_id, 'client.changed',
      rotor_webhook_client(target) || jsonb_build_object(
        'change', substr(NEW.action, 8),
        'before', CASE NEW.action
          WHEN 'client.settings_updated' THEN NEW.metadata -> 'before'
          WHEN 'client.jwks_uri_changed' THEN jsonb_build_object('jwksUri', NEW.metadata -> 'from')
          WHEN 'client.enabled' THEN jsonb_build_object('disabledAt', NEW.metadata -> 'disabledAt')
          ELSE jsonb_build_object('disabledAt', NULL) END,
        'after', CASE NEW.action
          WHEN 'client.settings_updated' THEN NEW.metadata -> 'after'
          WHEN 'client.jwks_uri_changed' THEN jsonb_build_object('jwksUri', NEW.metadata -> 'to')
          WHEN 'client.enabled' THEN jsonb_build_object('disabledAt', NULL)
          ELSE jsonb_build_object('disabledAt', rotor_iso(NEW.occurred_at)) END),
      NULL, NEW.occurred_at);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_event_webhooks AFTER INSERT ON audit_event
  FOR EACH ROW EXECUTE FUNCTION rotor_webhook_from_audit();
--> statement-breakpoint
-- A recorded reminder (once per credential and offset, lib/scheduler/reminders.ts) is also the
-- expiring event: the same days as the e-mail, and once, by the same unique key.
CREATE FUNCTION rotor_webhook_from_reminder() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  client uuid;
  successor uuid;
  org uuid;
  expires timestamptz;
  zone text;
BEGIN
  IF NEW.secret_id IS NOT NULL THEN
    SELECT s.client_id, s.expires_at INTO client, expires FROM client_secret s WHERE s.id = NEW.secret_id;
    SELECT n.id INTO successor FROM client_secret n WHERE n.replaces_secret_id = NEW.secret_id AND n.revoked_at IS NULL;
  ELSE
    SELECT k.client_id, k.expires_at INTO client, expires FROM client_public_key k WHERE k.id = NEW.public_key_id;
  END IF;
  SELECT c.organisation_id, o.time_zone INTO org, zone FROM oauth_client c JOIN organisation o ON o.id = c.organisation_id WHERE c.id = client;
  IF NOT rotor_webhook_wanted(org, CASE WHEN NEW.secret_id IS NOT NULL THEN 'secret.expiring' ELSE 'key.expiring' END) THEN
    RETURN NULL;
  END IF;
  PERFORM rotor_emit_webhook(org, CASE WHEN NEW.secret_id IS NOT NULL THEN 'secret.expiring' ELSE 'key.expiring' END,
    rotor_webhook_client(client) || jsonb_build_object(
      'reminderDays', NEW.threshold_days,
      'daysLeft', rotor_expiry_day(expires, zone) - NEW.due_on)
    || CASE WHEN NEW.secret_id IS NOT NULL
         THEN jsonb_build_object('secret', rotor_webhook_secret(NEW.secret_id),
                'successor', CASE WHEN successor IS NULL THEN NULL ELSE rotor_webhook_secret(successor) END)
         ELSE jsonb_build_object('key', rotor_webhook_key(NEW.public_key_id)) END,
    NULL, NEW.created_at);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER reminder_delivery_webhooks AFTER INSERT ON reminder_delivery
  FOR EACH ROW EXECUTE FUNCTION rotor_webhook_from_reminder();
