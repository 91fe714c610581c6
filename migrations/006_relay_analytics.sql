-- The Kafka relay's progress (its checkpoint lives in td_checkpoints as relay:<name>) and the analytics
-- consumer's tables. The consumer records each event id it applied, so redelivery changes nothing.
CREATE TABLE td_relay_stats (
  name              text PRIMARY KEY,
  published         bigint NOT NULL DEFAULT 0,
  last_published_at timestamptz
);

CREATE TABLE td_analytics_daily (
  day           date PRIMARY KEY,
  runs_finished integer NOT NULL DEFAULT 0,
  runs_passed   integer NOT NULL DEFAULT 0,
  runs_failed   integer NOT NULL DEFAULT 0,
  heals         integer NOT NULL DEFAULT 0,
  heals_held    integer NOT NULL DEFAULT 0
);

CREATE TABLE td_analytics_applied (
  event_id   uuid PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);
