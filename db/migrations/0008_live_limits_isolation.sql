-- The two-live limit (0003_live_credential_limits.sql) counts other transactions' committed rows
-- once it holds the client's lock: that needs each statement's own snapshot, as READ COMMITTED
-- gives (SERIALIZABLE refuses a conflicting pair by itself). Under REPEATABLE READ the count would
-- miss a row committed while it waited, so a write there is refused with a message saying why.
CREATE OR REPLACE FUNCTION rotor_require_statement_snapshots() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('transaction_isolation') = 'repeatable read' THEN
    RAISE EXCEPTION 'client credentials are changed under READ COMMITTED or SERIALIZABLE, not REPEATABLE READ'
      USING ERRCODE = 'invalid_transaction_state',
            HINT = 'Set default_transaction_isolation to read committed (the default) for the Rotor database.';
  END IF;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rotor_client_secret_limit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  new_end timestamptz := least(NEW.expires_at, coalesce(NEW.revoked_at, 'infinity'::timestamptz));
  most integer;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.client_id = OLD.client_id AND NEW.created_at >= OLD.created_at
     AND new_end <= least(OLD.expires_at, coalesce(OLD.revoked_at, 'infinity'::timestamptz)) THEN
    RETURN NEW;
  END IF;
  IF new_end <= NEW.created_at THEN
    RETURN NEW;
  END IF;
  PERFORM rotor_require_statement_snapshots();
  PERFORM 1 FROM oauth_client WHERE id = NEW.client_id FOR NO KEY UPDATE;
  SELECT max((
    SELECT count(*) FROM client_secret s
    WHERE s.client_id = NEW.client_id AND s.id <> NEW.id
      AND s.created_at <= p.t AND p.t < least(s.expires_at, coalesce(s.revoked_at, 'infinity'::timestamptz))
  )) INTO most
  FROM (
    SELECT NEW.created_at AS t
    UNION
    SELECT o.created_at FROM client_secret o
    WHERE o.client_id = NEW.client_id AND o.id <> NEW.id AND o.created_at > NEW.created_at AND o.created_at < new_end
  ) p;
  IF most >= 2 THEN
    RAISE EXCEPTION 'client % would have three live secrets', NEW.client_id
      USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'client_secret_at_most_two_live',
            HINT = 'Revoke a live secret (or let it expire) before issuing another.';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rotor_client_public_key_limit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  new_end timestamptz := least(coalesce(NEW.expires_at, 'infinity'::timestamptz), coalesce(NEW.revoked_at, 'infinity'::timestamptz));
  most integer;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.client_id = OLD.client_id AND NEW.created_at >= OLD.created_at
     AND new_end <= least(coalesce(OLD.expires_at, 'infinity'::timestamptz), coalesce(OLD.revoked_at, 'infinity'::timestamptz)) THEN
    RETURN NEW;
  END IF;
  IF new_end <= NEW.created_at THEN
    RETURN NEW;
  END IF;
  PERFORM rotor_require_statement_snapshots();
  PERFORM 1 FROM oauth_client WHERE id = NEW.client_id FOR NO KEY UPDATE;
  SELECT max((
    SELECT count(*) FROM client_public_key k
    WHERE k.client_id = NEW.client_id AND k.id <> NEW.id
      AND k.created_at <= p.t
      AND p.t < least(coalesce(k.expires_at, 'infinity'::timestamptz), coalesce(k.revoked_at, 'infinity'::timestamptz))
  )) INTO most
  FROM (
    SELECT NEW.created_at AS t
    UNION
    SELECT o.created_at FROM client_public_key o
    WHERE o.client_id = NEW.client_id AND o.id <> NEW.id AND o.created_at > NEW.created_at AND o.created_at < new_end
  ) p;
  IF most >= 2 THEN
    RAISE EXCEPTION 'client % would have three live public keys', NEW.client_id
      USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'client_public_key_at_most_two_live',
            HINT = 'Revoke a live key before registering another.';
  END IF;
  RETURN NEW;
END
$$;
