-- Quality findings across runs: the same rule broken on the same page is one issue with a history, not a new
-- issue each run. Filled by a projection of the runs' scans (accessibility now; security findings later).
CREATE TABLE td_quality_issues (
  kind           text NOT NULL,
  page           text NOT NULL,
  rule           text NOT NULL,
  impact         text,
  detail         jsonb NOT NULL,
  first_seen_run uuid NOT NULL,
  first_seen_at  timestamptz NOT NULL,
  last_seen_run  uuid NOT NULL,
  last_seen_at   timestamptz NOT NULL,
  runs           integer NOT NULL DEFAULT 1,
  history        jsonb NOT NULL DEFAULT '[]'::jsonb,
  PRIMARY KEY (kind, page, rule)
);
