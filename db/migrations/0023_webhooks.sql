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
-- The payload's parts, built from rows the statement has already joined: SQL functions whose body
-- is one expression, which the planner inlines, so a thousand events cost no function calls.
CREATE FUNCTION rotor_webhook_client(c oauth_client, o organisation) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'organisation', jsonb_build_object('id', o.id, 'slug', o.slug, 'name', o.name),
    'client', jsonb_build_object('clientId', c.client_id, 'name', c.name))
$$;
--> statement-breakpoint
CREATE FUNCTION rotor_webhook_secret(s client_secret, zone text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', s.id, 'maskedValue', s.masked_tail, 'label', s.label, 'issuedBy', s.issued_by,
    'createdAt', rotor_iso(s.created_at), 'expiresAt', rotor_iso(s.expires_at),
    'expiresOn', rotor_expiry_day(s.expires_at, zone)::text,
    'revokedAt', rotor_iso(s.revoked_at), 'lastUsedAt', rotor_iso(s.last_used_at))
$$;
--> statement-breakpoint
CREATE FUNCTION rotor_webhook_key(k client_public_key, zone text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', k.id, 'kid', k.kid, 'alg', k.alg, 'thumbprint', k.thumbprint, 'label', k.label,
    'createdAt', rotor_iso(k.created_at), 'expiresAt', rotor_iso(k.expires_at),
    'expiresOn', CASE WHEN k.expires_at IS NULL THEN NULL ELSE rotor_expiry_day(k.expires_at, zone)::text END,
    'revokedAt', rotor_iso(k.revoked_at), 'lastUsedAt', rotor_iso(k.last_used_at))
$$;
--> statement-breakpoint
-- Whether any enabled endpoint would be sent this event: an event nobody subscribes to is not
-- recorded (and its payload not built), so the scheduler's reminder wave costs one index probe per
-- reminder where no endpoint listens.
CREATE FUNCTION rotor_webhook_wanted(org uuid, kind text) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
  SELECT EXISTS (
    SELECT 1 FROM webhook_endpoint e
    WHERE e.disabled_at IS NULL AND (e.organisation_id = org OR e.organisation_id IS NULL) AND kind = ANY (e.event_types))
  );
END
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
  SELECT n.id, e.id, n.occurred_at, n.occurred_at
  FROM new_events n
  JOIN webhook_endpoint e
    ON e.disabled_at IS NULL
   AND (e.organisation_id = n.organisation_id OR e.organisation_id IS NULL)
   AND n.type = ANY (e.event_types)
  WHERE n.type <> 'webhook.test';
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Statement-level triggers with transition tables (here and below): one set-based statement per
-- statement that wrote rows, however many it wrote (a scheduler page is a thousand reminders).
CREATE TRIGGER webhook_event_fan_out AFTER INSERT ON webhook_event
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION rotor_webhook_fan_out();
--> statement-breakpoint
-- The audit trail's credential events, as webhook events: which audit actions become which event
-- (docs/webhooks.md, the event catalogue; lib/webhooks/webhooks.integration.test.ts receives each).
-- A uuid target is cast only where it is one (a CASE, so no plan can cast a person's text id).
CREATE FUNCTION rotor_webhook_from_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Nothing to build when no endpoint listens at all (most deployments, most of the time).
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoint WHERE disabled_at IS NULL) THEN
    RETURN NULL;
  END IF;
  WITH a AS (
    SELECT i.*, CASE WHEN i.target_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN i.target_id::uuid END AS target
    FROM new_audit i
    WHERE i.target_type IN ('client_secret', 'client_public_key', 'oauth_client')
  ), events AS (
    -- A new secret: a rotation (after a compromise or not) or the scheduler's automatic issue.
    SELECT a.organisation_id, 'secret.issued' AS kind, a.occurred_at,
           rotor_webhook_client(c, o) || jsonb_build_object(
             'reason', substr(a.action, 8),
             'secret', rotor_webhook_secret(s, o.time_zone),
             'previousSecret', CASE WHEN p.id IS NULL THEN NULL ELSE rotor_webhook_secret(p, o.time_zone) END) AS data
    FROM a JOIN client_secret s ON s.id = a.target
    JOIN oauth_client c ON c.id = s.client_id JOIN organisation o ON o.id = c.organisation_id
    LEFT JOIN client_secret p ON p.id = s.replaces_secret_id
    WHERE a.target_type = 'client_secret' AND a.action IN ('secret.rotated', 'secret.rotated_after_compromise', 'secret.auto_issued')
    UNION ALL
    -- Each secret a rotation after a compromise revoked.
    SELECT a.organisation_id, 'secret.revoked', a.occurred_at,
           rotor_webhook_client(c, o) || jsonb_build_object('secret', rotor_webhook_secret(r, o.time_zone))
    FROM a
    CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(a.metadata -> 'revokedSecretIds', '[]'::jsonb)) AS revoked(id)
    JOIN client_secret r ON r.id::text = revoked.id
    JOIN oauth_client c ON c.id = r.client_id JOIN organisation o ON o.id = c.organisation_id
    WHERE a.target_type = 'client_secret' AND a.action IN ('secret.rotated', 'secret.rotated_after_compromise')
    UNION ALL
    SELECT a.organisation_id, a.action, a.occurred_at,
           rotor_webhook_client(c, o) || jsonb_build_object('secret', rotor_webhook_secret(s, o.time_zone))
    FROM a JOIN client_secret s ON s.id = a.target
    JOIN oauth_client c ON c.id = s.client_id JOIN organisation o ON o.id = c.organisation_id
    WHERE a.target_type = 'client_secret' AND a.action IN ('secret.revoked', 'secret.expired')
    UNION ALL
    SELECT a.organisation_id, a.action, a.occurred_at,
           rotor_webhook_client(c, o) || jsonb_build_object('key', rotor_webhook_key(k, o.time_zone))
    FROM a JOIN client_public_key k ON k.id = a.target
    JOIN oauth_client c ON c.id = k.client_id JOIN organisation o ON o.id = c.organisation_id
    WHERE a.target_type = 'client_public_key' AND a.action IN ('key.registered', 'key.revoked', 'key.expired')
    UNION ALL
    -- A client changed: before and after hold only what changed.
    SELECT a.organisation_id, 'client.changed', a.occurred_at,
           rotor_webhook_client(c, o) || jsonb_build_object(
             'change', substr(a.action, 8),
             'before', CASE a.action
               WHEN 'client.settings_updated' THEN a.metadata -> 'before'
               WHEN 'client.jwks_uri_changed' THEN jsonb_build_object('jwksUri', a.metadata -> 'from')
               WHEN 'client.enabled' THEN jsonb_build_object('disabledAt', a.metadata -> 'disabledAt')
               ELSE jsonb_build_object('disabledAt', NULL) END,
             'after', CASE a.action
               WHEN 'client.settings_updated' THEN a.metadata -> 'after'
               WHEN 'client.jwks_uri_changed' THEN jsonb_build_object('jwksUri', a.metadata -> 'to')
               WHEN 'client.enabled' THEN jsonb_build_object('disabledAt', NULL)
               ELSE jsonb_build_object('disabledAt', rotor_iso(a.occurred_at)) END)
    FROM a JOIN oauth_client c ON c.id = a.target JOIN organisation o ON o.id = c.organisation_id
    WHERE a.target_type = 'oauth_client'
      AND a.action IN ('client.settings_updated', 'client.disabled', 'client.enabled', 'client.jwks_uri_changed')
  )
  INSERT INTO webhook_event (organisation_id, type, payload, occurred_at)
  SELECT e.organisation_id, e.kind, jsonb_build_object('type', e.kind, 'timestamp', rotor_iso(e.occurred_at), 'data', e.data), e.occurred_at
  FROM events e
  WHERE EXISTS (SELECT 1 FROM webhook_endpoint w WHERE w.disabled_at IS NULL
                AND (w.organisation_id = e.organisation_id OR w.organisation_id IS NULL) AND e.kind = ANY (w.event_types));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_event_webhooks AFTER INSERT ON audit_event
  REFERENCING NEW TABLE AS new_audit FOR EACH STATEMENT EXECUTE FUNCTION rotor_webhook_from_audit();
--> statement-breakpoint
-- A recorded reminder (once per credential and offset, lib/scheduler/reminders.ts) is also the
-- expiring event: the same days as the e-mail, and once, by the same unique key. daysLeft counts
-- from the day it was due; successor is the secret that replaces it, if one does.
CREATE FUNCTION rotor_webhook_from_reminder() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoint WHERE disabled_at IS NULL) THEN
    RETURN NULL;
  END IF;
  WITH due AS (
    SELECT r.secret_id, r.public_key_id, r.threshold_days, r.due_on, r.created_at, c.organisation_id, s, k, c, o,
           CASE WHEN r.secret_id IS NOT NULL THEN 'secret.expiring' ELSE 'key.expiring' END AS kind,
           coalesce(s.expires_at, k.expires_at) AS expires_at
    FROM new_reminders r
    LEFT JOIN client_secret s ON s.id = r.secret_id
    LEFT JOIN client_public_key k ON k.id = r.public_key_id
    JOIN oauth_client c ON c.id = coalesce(s.client_id, k.client_id)
    JOIN organisation o ON o.id = c.organisation_id
  )
  INSERT INTO webhook_event (organisation_id, type, payload, occurred_at)
  SELECT d.organisation_id, d.kind,
         jsonb_build_object('type', d.kind, 'timestamp', rotor_iso(d.created_at), 'data',
           rotor_webhook_client(d.c, d.o) || jsonb_build_object(
             'reminderDays', d.threshold_days,
             'daysLeft', rotor_expiry_day(d.expires_at, (d.o).time_zone) - d.due_on)
           || CASE WHEN d.secret_id IS NOT NULL
                THEN jsonb_build_object('secret', rotor_webhook_secret(d.s, (d.o).time_zone),
                       'successor', CASE WHEN n.id IS NULL THEN NULL ELSE rotor_webhook_secret(n.successor, (d.o).time_zone) END)
                ELSE jsonb_build_object('key', rotor_webhook_key(d.k, (d.o).time_zone)) END),
         d.created_at
  FROM due d
  LEFT JOIN LATERAL (
    SELECT x AS successor, x.id FROM client_secret x WHERE x.replaces_secret_id = d.secret_id AND x.revoked_at IS NULL LIMIT 1
  ) n ON true
  WHERE EXISTS (SELECT 1 FROM webhook_endpoint w WHERE w.disabled_at IS NULL
                AND (w.organisation_id = d.organisation_id OR w.organisation_id IS NULL) AND d.kind = ANY (w.event_types));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER reminder_delivery_webhooks AFTER INSERT ON reminder_delivery
  REFERENCING NEW TABLE AS new_reminders FOR EACH STATEMENT EXECUTE FUNCTION rotor_webhook_from_reminder();
