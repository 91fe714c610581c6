-- Time-series read models: metrics (spec §4.3 measurements) and the index of state snapshots.
-- With TimescaleDB: hypertables and an hourly continuous aggregate. Without: plain tables, BRIN indexes on
-- time, and a view with the same name and columns as the aggregate, so readers need not know which.

CREATE TABLE td_metrics (
  time   timestamptz NOT NULL,
  name   text NOT NULL,
  labels jsonb NOT NULL DEFAULT '{}'::jsonb,
  value  double precision NOT NULL
);
CREATE INDEX td_metrics_by_name ON td_metrics (name, time DESC);

CREATE TABLE td_snapshot_index (
  time            timestamptz NOT NULL,
  run_id          text NOT NULL,
  step_index      integer,
  snapshot_hash   text NOT NULL,
  screenshot_hash text,
  url             text
);
CREATE INDEX td_snapshot_index_by_run ON td_snapshot_index (run_id, time);

-- @if timescaledb
SELECT create_hypertable('td_metrics', 'time', chunk_time_interval => interval '1 day');
SELECT create_hypertable('td_snapshot_index', 'time', chunk_time_interval => interval '1 day');
CREATE MATERIALIZED VIEW td_metrics_hourly WITH (timescaledb.continuous) AS
  SELECT time_bucket('1 hour', time) AS bucket, name, labels,
         count(*) AS samples, avg(value) AS avg, min(value) AS min, max(value) AS max, sum(value) AS sum
    FROM td_metrics
   GROUP BY bucket, name, labels
  WITH NO DATA;
SELECT add_continuous_aggregate_policy('td_metrics_hourly',
  start_offset => interval '3 days', end_offset => interval '1 hour', schedule_interval => interval '30 minutes');
-- @else
CREATE INDEX td_metrics_time_brin ON td_metrics USING brin (time);
CREATE INDEX td_snapshot_index_time_brin ON td_snapshot_index USING brin (time);
CREATE VIEW td_metrics_hourly AS
  SELECT date_trunc('hour', time) AS bucket, name, labels,
         count(*) AS samples, avg(value) AS avg, min(value) AS min, max(value) AS max, sum(value) AS sum
    FROM td_metrics
   GROUP BY 1, 2, 3;
-- @endif
