import type { RecordedEvent } from "../../domain/events/envelope.js";
import { stepCounts } from "../../domain/run/state.js";
import type { SqlExecutor } from "../../ports/sql.js";
import type { Projection } from "../projection.js";
import { foldRecordedDetails, initialDetails, type RunDetails } from "./details.js";

const runIdOf = (streamId: string) => streamId.slice("run-".length);

async function storedDetails(tx: SqlExecutor, runId: string): Promise<RunDetails | undefined> {
  const { rows } = await tx.query<{ details: RunDetails }>("SELECT details FROM td_runs WHERE run_id = $1", [
    runId,
  ]);
  return rows[0]?.details;
}

async function save(tx: SqlExecutor, d: RunDetails) {
  const counts = stepCounts(d);
  await tx.query(
    `INSERT INTO td_runs (run_id, plan_id, plan_version, plan_name, application_url, application_version, driver, source,
       status, requested_at, started_at, completed_at, duration_ms, total_steps, passed_steps, failed_steps,
       skipped_steps, healed_steps, error, stream_version, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21::jsonb)
     ON CONFLICT (run_id) DO UPDATE SET plan_id = EXCLUDED.plan_id, plan_version = EXCLUDED.plan_version,
       plan_name = EXCLUDED.plan_name, application_url = EXCLUDED.application_url,
       application_version = EXCLUDED.application_version, driver = EXCLUDED.driver, source = EXCLUDED.source,
       status = EXCLUDED.status, requested_at = EXCLUDED.requested_at, started_at = EXCLUDED.started_at,
       completed_at = EXCLUDED.completed_at, duration_ms = EXCLUDED.duration_ms, total_steps = EXCLUDED.total_steps,
       passed_steps = EXCLUDED.passed_steps, failed_steps = EXCLUDED.failed_steps,
       skipped_steps = EXCLUDED.skipped_steps, healed_steps = EXCLUDED.healed_steps, error = EXCLUDED.error,
       stream_version = EXCLUDED.stream_version, details = EXCLUDED.details`,
    [
      d.run_id,
      d.plan?.plan_id ?? null,
      d.plan?.plan_version ?? null,
      d.plan?.name ?? null,
      d.application_url ?? "",
      d.application_version ?? null,
      d.driver ?? null,
      d.source ?? null,
      d.status,
      d.requested_at ?? null,
      d.started_at ?? null,
      d.completed_at ?? null,
      d.duration_ms ?? null,
      d.steps.length,
      counts.succeeded,
      counts.failed,
      counts.skipped,
      counts.healed,
      d.error ?? null,
      d.version,
      JSON.stringify(d),
    ],
  );
}

/**
 * td_runs: one row per run, the spec's test_executions columns and the run's details. Each batch evolves
 * the stored details by the run's new events, with the same fold that time travel and the reports use, so
 * a live row and a rebuilt one are the same by construction.
 */
export const runsProjection: Projection = {
  name: "runs",
  tables: ["td_runs"],
  async apply(events, tx) {
    const byRun = new Map<string, RecordedEvent[]>();
    for (const e of events) {
      if (e.streamType !== "run") continue;
      byRun.set(e.streamId, [...(byRun.get(e.streamId) ?? []), e]);
    }
    for (const [streamId, runEvents] of byRun) {
      const before = (await storedDetails(tx, runIdOf(streamId))) ?? initialDetails();
      const unseen = runEvents.filter((e) => e.streamVersion > before.version);
      const details = foldRecordedDetails(unseen, before);
      if (details.run_id) await save(tx, details);
    }
  },
};
