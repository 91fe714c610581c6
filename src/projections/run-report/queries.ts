import type { EventStore } from "../../domain/events/store.js";
import { TEST_STATUSES } from "../../domain/plan/model.js";
import { runStreamId } from "../../domain/run/events.js";
import type { SqlExecutor } from "../../ports/sql.js";
import { foldRecordedDetails, type RunDetails } from "./details.js";

/** Queries of the run report, beside its projection: the edges ask these, never SQL of their own. */

export const RUN_STATUS_FILTERS = TEST_STATUSES;

export interface RunFilter {
  status?: (typeof TEST_STATUSES)[number];
  plan_id?: string;
  /** The application's URL, or its start (an origin). */
  application?: string;
  application_version?: string;
  since?: string;
  until?: string;
  limit: number;
  offset?: number;
}

export interface RunSummaryRow {
  run_id: string;
  plan_id: string | null;
  plan_version: string | null;
  plan_name: string | null;
  application_url: string;
  application_version: string | null;
  driver: string | null;
  source: string | null;
  status: string;
  requested_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  duration_ms: number | null;
  total_steps: number;
  passed_steps: number;
  failed_steps: number;
  skipped_steps: number;
  healed_steps: number;
  error: string | null;
}

/** Runs from the read model, newest first. */
export async function listRuns(db: SqlExecutor, f: RunFilter): Promise<RunSummaryRow[]> {
  const { rows } = await db.query<RunSummaryRow>(
    `SELECT run_id, plan_id, plan_version, plan_name, application_url, application_version, driver, source, status,
            requested_at, started_at, completed_at, duration_ms::float AS duration_ms, total_steps, passed_steps,
            failed_steps, skipped_steps, healed_steps, error
       FROM td_runs
      WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR plan_id = $2)
        AND ($3::timestamptz IS NULL OR requested_at >= $3) AND ($4::timestamptz IS NULL OR requested_at < $4)
        AND ($5::text IS NULL OR left(application_url, length($5)) = $5)
        AND ($6::text IS NULL OR application_version = $6)
      ORDER BY requested_at DESC NULLS LAST, run_id LIMIT $7 OFFSET $8`,
    [
      f.status ?? null,
      f.plan_id ?? null,
      f.since ?? null,
      f.until ?? null,
      f.application ?? null,
      f.application_version ?? null,
      f.limit,
      f.offset ?? 0,
    ],
  );
  return rows;
}

/** How many runs the read model holds in each status. */
export async function runsByStatus(db: SqlExecutor): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(
    "SELECT status, count(*)::int AS n FROM td_runs GROUP BY status",
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Counts and durations of the runs requested since a moment: executions, quality and usage at once. */
export interface RunStats {
  runs: number;
  passed: number;
  failed: number;
  finished: number;
  active: number;
  avg_duration_ms: number;
  max_duration_ms: number;
  healed_steps: number;
  plans: number;
  applications: number;
  per_plan: { plan_id: string; runs: number; passed: number }[];
}

export async function runStatsSince(db: SqlExecutor, since: Date): Promise<RunStats> {
  const { rows } = await db.query<Omit<RunStats, "per_plan">>(
    `SELECT count(*)::int AS runs, count(*) FILTER (WHERE status = 'passed')::int AS passed,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status IN ('passed','failed'))::int AS finished,
            count(*) FILTER (WHERE status IN ('running','pending','healing'))::int AS active,
            coalesce(avg(duration_ms), 0)::float AS avg_duration_ms, coalesce(max(duration_ms), 0)::float AS max_duration_ms,
            coalesce(sum(healed_steps), 0)::int AS healed_steps,
            count(DISTINCT plan_id)::int AS plans, count(DISTINCT application_url)::int AS applications
       FROM td_runs WHERE requested_at >= $1::timestamptz`,
    [since.toISOString()],
  );
  const { rows: perPlan } = await db.query<{ plan_id: string; runs: number; passed: number }>(
    `SELECT plan_id, count(*)::int AS runs, count(*) FILTER (WHERE status = 'passed')::int AS passed
       FROM td_runs WHERE requested_at >= $1::timestamptz AND plan_id IS NOT NULL
      GROUP BY plan_id ORDER BY runs DESC, plan_id LIMIT 20`,
    [since.toISOString()],
  );
  return { ...rows[0]!, per_plan: perPlan };
}

/** Finished runs' details, oldest first, for reliability. */
export async function finishedRunDetails(db: SqlExecutor, planId?: string): Promise<RunDetails[]> {
  const { rows } = await db.query<{ details: RunDetails }>(
    `SELECT details FROM td_runs WHERE status IN ('passed', 'failed') AND ($1::text IS NULL OR plan_id = $1)
      ORDER BY completed_at, run_id`,
    [planId ?? null],
  );
  return rows.map((r) => r.details);
}

/** A run's details as the read model holds them, and the stream version it has reached. */
export async function storedRunDetails(db: SqlExecutor, runId: string): Promise<RunDetails | undefined> {
  const { rows } = await db.query<{ details: RunDetails }>("SELECT details FROM td_runs WHERE run_id = $1", [
    runId,
  ]);
  return rows[0]?.details;
}

export type PointInRun = { version: number } | { time: Date };

/**
 * A run's details folded from its events, now or as they stood at a stream version or a moment (time
 * travel): always current, and the same on every replica.
 */
export async function readRunDetails(store: EventStore, runId: string, at?: PointInRun): Promise<RunDetails> {
  const events = await store.readStream(
    runStreamId(runId),
    at && "version" in at ? { toVersion: at.version } : {},
  );
  if (!at || "version" in at) return foldRecordedDetails(events);
  // A moment is judged by the time each event says it happened, as the details show it.
  const until = at.time.getTime();
  const upTo = events.findIndex((e) => Date.parse((e.data as { at: string }).at) > until);
  return foldRecordedDetails(upTo === -1 ? events : events.slice(0, upTo));
}
