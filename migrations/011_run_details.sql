-- td_runs keeps the run report's details (its own fold of the run's events), no longer the run
-- aggregate's state: the column says so, and the rows are folded again from the log.
ALTER TABLE td_runs RENAME COLUMN state TO details;
DELETE FROM td_runs;
DELETE FROM td_checkpoints WHERE name = 'projection:runs';
