-- Wait durations per page and action (the WaitLearner's model), kept by the learned_waits projection so that
-- a new process starts from what earlier runs observed instead of fixed guesses.
CREATE TABLE td_learned_waits (
  key        text PRIMARY KEY,
  -- The latest successful durations, newest last, at most 20.
  durations  double precision[] NOT NULL DEFAULT '{}',
  failures   integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL
);
