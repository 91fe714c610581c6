import type { TestPlan } from "../../domain/plan/model.js";
import type { SqlExecutor } from "../../ports/sql.js";

/** Queries of the plans recorded runs used, beside the run report they read. */

export interface RecordedPlan {
  plan_id: string;
  /** The plan as its latest run recorded it (secret values masked). */
  plan: TestPlan | null;
  runs: number;
  last_run: { run_id: string; requested_at: string; status: string };
  applications: { url: string; version: string | null; runs: number }[];
}

/** Every plan of the recorded runs: its latest version and the applications and versions it ran against. */
export async function recordedPlans(db: SqlExecutor): Promise<RecordedPlan[]> {
  const { rows: latest } = await db.query<{
    plan_id: string;
    plan: TestPlan | null;
    run_id: string;
    requested_at: string;
    status: string;
    runs: number;
  }>(
    `SELECT DISTINCT ON (plan_id) plan_id, details->'plan' AS plan, run_id, requested_at, status,
            count(*) OVER (PARTITION BY plan_id)::int AS runs
       FROM td_runs WHERE plan_id IS NOT NULL ORDER BY plan_id, requested_at DESC NULLS LAST`,
  );
  const { rows: apps } = await db.query<{
    plan_id: string;
    url: string;
    version: string | null;
    runs: number;
  }>(
    `SELECT plan_id, application_url AS url, application_version AS version, count(*)::int AS runs,
            max(requested_at) AS last FROM td_runs WHERE plan_id IS NOT NULL
      GROUP BY 1, 2, 3 ORDER BY plan_id, last DESC`,
  );
  return latest.map((r) => ({
    plan_id: r.plan_id,
    plan: r.plan,
    runs: r.runs,
    last_run: { run_id: r.run_id, requested_at: r.requested_at, status: r.status },
    applications: apps
      .filter((a) => a.plan_id === r.plan_id)
      .map((a) => ({ url: a.url, version: a.version, runs: a.runs })),
  }));
}

/** A plan as its latest run recorded it, or undefined when no run used it. */
export async function latestPlan(db: SqlExecutor, planId: string): Promise<TestPlan | undefined> {
  const { rows } = await db.query<{ plan: TestPlan | null }>(
    `SELECT details->'plan' AS plan FROM td_runs WHERE plan_id = $1 ORDER BY requested_at DESC NULLS LAST LIMIT 1`,
    [planId],
  );
  return rows[0]?.plan ?? undefined;
}
