-- Read models: tables only projections write, rebuilt from the event log at will.

-- One row per run (spec §4.3 test_executions), with the folded run state for reports and time travel.
CREATE TABLE td_runs (
  run_id              uuid PRIMARY KEY,
  plan_id             text,
  plan_version        text,
  plan_name           text,
  application_url     text NOT NULL,
  application_version text,
  driver              text,
  source              text,
  status              text NOT NULL,
  requested_at        timestamptz,
  started_at          timestamptz,
  completed_at        timestamptz,
  duration_ms         bigint,
  total_steps         integer NOT NULL DEFAULT 0,
  passed_steps        integer NOT NULL DEFAULT 0,
  failed_steps        integer NOT NULL DEFAULT 0,
  skipped_steps       integer NOT NULL DEFAULT 0,
  healed_steps        integer NOT NULL DEFAULT 0,
  error               text,
  stream_version      bigint NOT NULL,
  state               jsonb NOT NULL
);
CREATE INDEX td_runs_by_status ON td_runs (status, requested_at DESC);
CREATE INDEX td_runs_by_plan ON td_runs (plan_id, requested_at DESC);

-- Heals that wait for a person, and what became of them.
CREATE TABLE td_heal_queue (
  healing_id  uuid PRIMARY KEY,
  run_id      uuid NOT NULL,
  step_id     text NOT NULL,
  decision    text NOT NULL,
  confidence  double precision NOT NULL,
  method      text NOT NULL,
  old_locator jsonb,
  new_locator jsonb NOT NULL,
  successful  boolean,
  review      text NOT NULL DEFAULT 'pending',
  reviewer    text,
  created_at  timestamptz NOT NULL,
  reviewed_at timestamptz
);
CREATE INDEX td_heal_queue_pending ON td_heal_queue (review, created_at);
