-- The immutable event log, its streams, and the append function that is the only way to write to it.

CREATE SEQUENCE td_global_position AS bigint START 1 CACHE 1;

CREATE TABLE td_streams (
  stream_id   text PRIMARY KEY,
  stream_type text NOT NULL,
  version     bigint NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE td_events (
  global_position bigint PRIMARY KEY,
  transaction_id  xid8 NOT NULL,
  event_id        uuid NOT NULL UNIQUE,
  stream_id       text NOT NULL,
  stream_type     text NOT NULL,
  stream_version  bigint NOT NULL,
  type            text NOT NULL,
  schema_version  integer NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL,
  -- Milliseconds: the precision of the API's Date, so that a time read back selects its own event.
  recorded_at     timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  UNIQUE (stream_id, stream_version)
);

-- No NOTIFY trigger: PostgreSQL serialises the commits of notifying transactions on one database-wide lock,
-- which would undo group commit for concurrent writers. Writers notify after their commit instead, coalesced
-- (see PgListenNotifier), and subscribers also poll.

-- Readers' checkpoints (projections, relays, subscriptions).
CREATE TABLE td_checkpoints (
  name       text PRIMARY KEY,
  position   bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION td_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'td_events is an append-only log: % is not allowed', TG_OP USING ERRCODE = 'TD403';
END
$$;
CREATE TRIGGER td_events_no_update_or_delete BEFORE UPDATE OR DELETE ON td_events
  FOR EACH ROW EXECUTE FUNCTION td_events_immutable();
CREATE TRIGGER td_events_no_truncate BEFORE TRUNCATE ON td_events
  FOR EACH STATEMENT EXECUTE FUNCTION td_events_immutable();

-- Appends p_events (a JSON array of {id, type, v, data, meta}) to a stream. p_check_ids is false when the
-- caller generated every id itself just now, so none can be stored yet and the idempotency lookup is skipped.
--
-- Ordering guarantees, which readers rely on:
-- 1. The per-stream advisory lock is taken before the transaction has an id, so writers of one stream get
--    transaction ids in the order they write the stream.
-- 2. The transaction id and the global positions are taken together under one short global lock, so a
--    higher position always belongs to a higher transaction id. A reader that only shows events whose
--    transaction id is below the oldest one still running (pg_snapshot_xmin) therefore sees a gap-free
--    prefix of the log by position, and a numeric checkpoint never skips a late commit.
CREATE FUNCTION td_append(
  p_stream_id text, p_stream_type text, p_expected_kind text, p_expected bigint, p_events jsonb,
  p_check_ids boolean DEFAULT true
) RETURNS TABLE (o_version bigint, o_position bigint, o_duplicate boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_count   int := jsonb_array_length(p_events);
  v_current bigint;
  v_found   int;
  v_same    int;
  v_offsets int;
  v_xid     xid8;
  v_first   bigint;
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'an append must be the first write of its transaction' USING ERRCODE = 'TD400';
  END IF;

  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 7));

  -- Idempotency: a batch whose ids are all stored, with the same content in the same places, is a retry.
  IF p_check_ids THEN
    SELECT count(*),
           count(*) FILTER (WHERE e.stream_id = p_stream_id AND e.type = x.e->>'type' AND e.data = x.e->'data'),
           count(DISTINCT e.stream_version - x.ord)
      INTO v_found, v_same, v_offsets
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord)
      JOIN td_events e ON e.event_id = (x.e->>'id')::uuid;
    IF v_found > 0 THEN
      IF v_found = v_count AND v_same = v_count AND v_offsets = 1 THEN
        RETURN QUERY SELECT e.stream_version, e.global_position, true
          FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord)
          JOIN td_events e ON e.event_id = (x.e->>'id')::uuid ORDER BY x.ord;
        RETURN;
      END IF;
      RAISE EXCEPTION 'idempotency conflict' USING ERRCODE = 'TD422',
        DETAIL = format('%s of %s ids stored, %s with the same stream, type and data', v_found, v_count, v_same);
    END IF;
  END IF;

  SELECT s.version INTO v_current FROM td_streams s WHERE s.stream_id = p_stream_id;
  v_current := coalesce(v_current, 0);
  IF (p_expected_kind = 'no_stream' AND v_current <> 0)
     OR (p_expected_kind = 'exact' AND v_current <> p_expected) THEN
    RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'TD409', DETAIL = v_current::text;
  END IF;

  PERFORM pg_advisory_lock(7391001);
  BEGIN
    v_xid := pg_current_xact_id();
    v_first := nextval('td_global_position');
    IF v_count > 1 THEN
      PERFORM setval('td_global_position', v_first + v_count - 1);
    END IF;
  EXCEPTION WHEN OTHERS OR query_canceled THEN
    PERFORM pg_advisory_unlock(7391001);
    RAISE;
  END;
  PERFORM pg_advisory_unlock(7391001);

  INSERT INTO td_events (global_position, transaction_id, event_id, stream_id, stream_type, stream_version,
                         type, schema_version, data, metadata)
  SELECT v_first + x.ord - 1, v_xid, x.id, p_stream_id, p_stream_type, v_current + x.ord,
         x.type, x.v, x.data, x.meta
    FROM ROWS FROM (jsonb_to_recordset(p_events) AS (id uuid, type text, v int, data jsonb, meta jsonb))
         WITH ORDINALITY AS x(id, type, v, data, meta, ord);

  INSERT INTO td_streams AS s (stream_id, stream_type, version)
  VALUES (p_stream_id, p_stream_type, v_current + v_count)
  ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, updated_at = now();

  RETURN QUERY SELECT v_current + g, v_first + g - 1, false FROM generate_series(1, v_count) AS g;
END
$$;
