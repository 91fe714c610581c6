-- After a logical restore into another cluster. Transaction ids restart there, so the events' stored ids may
-- lie above the new cluster's (readers would not see them) or collide with new ones (ordering). Every
-- restored event is committed, so each gets the frozen transaction id (2), below any the cluster will hand
-- out: readers see them at once and every new append sorts after them. Positions and checkpoints are kept,
-- so relays and projections continue from where they were (projections are rebuilt anyway). Run offline,
-- by the tables' owner.
CREATE FUNCTION td_after_restore() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_count bigint;
BEGIN
  ALTER TABLE td_events DISABLE TRIGGER td_events_no_update_or_delete;
  UPDATE td_events SET transaction_id = '2'::xid8 WHERE transaction_id <> '2'::xid8;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  ALTER TABLE td_events ENABLE TRIGGER td_events_no_update_or_delete;
  -- The position sequence must continue above every restored event, whatever the dump held.
  PERFORM setval('td_global_position', GREATEST((SELECT coalesce(max(global_position), 0) FROM td_events), 1),
                 (SELECT count(*) > 0 FROM td_events));
  RETURN v_count;
END;
$$;
