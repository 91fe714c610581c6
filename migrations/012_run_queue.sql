-- Runs as leased work: a run waits here (queued) until a worker claims it with a lease, which the worker
-- renews while the run goes on and releases at its end (done). A lease that ran out means its worker died:
-- another worker claims the run again and resumes it. `command` holds a request (stop) for the lease holder,
-- whichever replica received it. Times come from the database, so workers' clocks do not matter.
CREATE TABLE IF NOT EXISTS td_run_queue (
  run_id      uuid PRIMARY KEY,
  status      text NOT NULL CHECK (status IN ('queued', 'claimed', 'done')),
  queued_at   timestamptz NOT NULL DEFAULT now(),
  claimed_at  timestamptz,
  worker      text,
  lease_until timestamptz,
  claims      integer NOT NULL DEFAULT 0,
  command     jsonb,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Workers take the oldest waiting run first; expired leases are found by time.
CREATE INDEX IF NOT EXISTS td_run_queue_waiting ON td_run_queue (queued_at) WHERE status = 'queued';
CREATE INDEX IF NOT EXISTS td_run_queue_leases ON td_run_queue (lease_until) WHERE status = 'claimed';
