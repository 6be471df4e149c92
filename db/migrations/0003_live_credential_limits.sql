-- At most two credentials of a client are accepted at any instant (docs/domain.md, "Two live
-- secrets, two live keys"). The rule is held here, by the database, so that no code path (the
-- portal, the management API, the CLI, the scheduler's set-based SQL, a future endpoint) can
-- break it, whatever clock it reads and however requests interleave.
--
-- A credential is accepted from created_at until the earlier of expires_at and revoked_at (a key
-- without expires_at until it is revoked). Acceptance only ever grows at a creation instant, so
-- the most credentials accepted at once inside the new row's window is reached at its own
-- created_at or at the created_at of another credential that starts inside that window: the
-- trigger counts at those instants only. It first takes the client's row lock (the same row the
-- use cases lock), so two transactions adding a credential to one client are serialised and the
-- second one's count sees the first one's row once it has committed (READ COMMITTED gives each
-- statement of a volatile function a fresh snapshot). Writes that only shorten a window (revoke,
-- an earlier expiry) cannot break the rule and are let through without the lock.
CREATE FUNCTION rotor_client_secret_limit() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER client_secret_at_most_two_live
  BEFORE INSERT OR UPDATE OF client_id, created_at, expires_at, revoked_at ON client_secret
  FOR EACH ROW EXECUTE FUNCTION rotor_client_secret_limit();
--> statement-breakpoint
CREATE FUNCTION rotor_client_public_key_limit() RETURNS trigger LANGUAGE plpgsql AS $$
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
--> statement-breakpoint
CREATE TRIGGER client_public_key_at_most_two_live
  BEFORE INSERT OR UPDATE OF client_id, created_at, expires_at, revoked_at ON client_public_key
  FOR EACH ROW EXECUTE FUNCTION rotor_client_public_key_limit();
