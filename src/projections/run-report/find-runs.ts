import type { SqlExecutor } from "../../ports/sql.js";

export interface RunCandidate {
  run_id: string;
  status: string;
  plan_name: string | null;
  application_url: string;
  requested_at: string | Date | null;
}

/** Runs whose id starts with `prefix` (lower-case hex and dashes), newest first: a short id's candidates. */
export async function runsStartingWith(
  db: SqlExecutor,
  prefix: string,
  limit: number,
): Promise<RunCandidate[]> {
  const { rows } = await db.query<RunCandidate>(
    `SELECT run_id::text AS run_id, status, plan_name, application_url, requested_at
       FROM td_runs WHERE left(run_id::text, length($1)) = $1
      ORDER BY requested_at DESC NULLS LAST, run_id LIMIT $2`,
    [prefix, limit],
  );
  return rows;
}
