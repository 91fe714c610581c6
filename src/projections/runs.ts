import type { RecordedEvent } from "../domain/events/envelope.js";
import { foldRecordedRun, stepCounts } from "../domain/run/state.js";
import { learnedWaitsProjection } from "./learned-waits.js";
import { metricsProjection } from "./metrics.js";
import type { Projection } from "./projection.js";
import { qualityIssuesProjection } from "./quality-issues.js";
import { visualBaselinesProjection } from "./visual-baselines.js";

const runIdOf = (streamId: string) => streamId.slice("run-".length);

/**
 * td_runs: one row per run, the spec's test_executions columns plus the folded state. A batch re-folds each
 * run it touches from the run's own stream up to the batch's last event of it, so the row is exactly what
 * folding the log gives, live or rebuilt.
 */
export const runsProjection: Projection = {
  name: "runs",
  tables: ["td_runs"],
  async apply(events, tx, context) {
    const last = new Map<string, number>();
    for (const e of events) if (e.streamType === "run") last.set(e.streamId, e.globalPosition);
    for (const [streamId, position] of last) {
      const history = await context.readStreamUpTo(streamId, position);
      const state = foldRecordedRun(history);
      if (!state.run_id) continue;
      const counts = stepCounts(state);
      await tx.query(
        `INSERT INTO td_runs (run_id, plan_id, plan_version, plan_name, application_url, application_version, driver, source,
           status, requested_at, started_at, completed_at, duration_ms, total_steps, passed_steps, failed_steps,
           skipped_steps, healed_steps, error, stream_version, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21::jsonb)
         ON CONFLICT (run_id) DO UPDATE SET plan_id = EXCLUDED.plan_id, plan_version = EXCLUDED.plan_version,
           plan_name = EXCLUDED.plan_name, application_url = EXCLUDED.application_url,
           application_version = EXCLUDED.application_version, driver = EXCLUDED.driver, source = EXCLUDED.source,
           status = EXCLUDED.status, requested_at = EXCLUDED.requested_at, started_at = EXCLUDED.started_at,
           completed_at = EXCLUDED.completed_at, duration_ms = EXCLUDED.duration_ms, total_steps = EXCLUDED.total_steps,
           passed_steps = EXCLUDED.passed_steps, failed_steps = EXCLUDED.failed_steps,
           skipped_steps = EXCLUDED.skipped_steps, healed_steps = EXCLUDED.healed_steps, error = EXCLUDED.error,
           stream_version = EXCLUDED.stream_version, state = EXCLUDED.state`,
        [
          state.run_id,
          state.plan?.plan_id ?? null,
          state.plan?.plan_version ?? null,
          state.plan?.name ?? null,
          state.application_url ?? "",
          state.application_version ?? null,
          state.driver ?? null,
          state.source ?? null,
          state.status,
          state.requested_at ?? null,
          state.started_at ?? null,
          state.completed_at ?? null,
          state.duration_ms ?? null,
          state.steps.length,
          counts.succeeded,
          counts.failed,
          counts.skipped,
          counts.healed,
          state.error ?? null,
          state.version,
          JSON.stringify(state),
        ],
      );
    }
  },
};

/** td_heal_queue: heals proposed or waiting for manual review, and their verdicts. */
export const healQueueProjection: Projection = {
  name: "heal_queue",
  tables: ["td_heal_queue"],
  types: ["LocatorHealed", "HealingVerified", "HealingReviewed"],
  async apply(events, tx) {
    for (const e of events as RecordedEvent<string, Record<string, unknown>>[]) {
      const d = e.data;
      if (e.type === "LocatorHealed") {
        if (d.decision !== "propose" && d.decision !== "manual_review") continue;
        await tx.query(
          `INSERT INTO td_heal_queue (healing_id, run_id, step_id, decision, confidence, method, old_locator, new_locator, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::timestamptz) ON CONFLICT (healing_id) DO NOTHING`,
          [
            d.healing_id,
            runIdOf(e.streamId),
            d.step_id,
            d.decision,
            d.confidence,
            d.method,
            JSON.stringify(d.old_locator ?? null),
            JSON.stringify(d.new_locator),
            e.recordedAt.toISOString(),
          ],
        );
      } else if (e.type === "HealingVerified") {
        await tx.query("UPDATE td_heal_queue SET successful = $2 WHERE healing_id = $1", [
          d.healing_id,
          d.successful,
        ]);
      } else {
        await tx.query(
          "UPDATE td_heal_queue SET review = $2, reviewer = $3, reviewed_at = $4::timestamptz WHERE healing_id = $1",
          [d.healing_id, d.approved ? "approved" : "rejected", d.reviewer, e.recordedAt.toISOString()],
        );
      }
    }
  },
};

/** td_snapshot_index: every run's snapshots by time, for "the snapshot at that moment" queries. */
export const snapshotIndexProjection: Projection = {
  name: "snapshot_index",
  tables: ["td_snapshot_index"],
  types: ["SnapshotCaptured"],
  async apply(events, tx) {
    for (const e of events as RecordedEvent<string, Record<string, unknown>>[]) {
      await tx.query(
        `INSERT INTO td_snapshot_index (time, run_id, step_index, snapshot_hash, screenshot_hash, url)
         VALUES ($1::timestamptz, $2, $3, $4, $5, $6)`,
        [
          e.recordedAt.toISOString(),
          runIdOf(e.streamId),
          e.data.index ?? null,
          e.data.snapshot_hash,
          e.data.screenshot_hash ?? null,
          e.data.url,
        ],
      );
    }
  },
};

export const READ_MODELS: Projection[] = [
  runsProjection,
  healQueueProjection,
  snapshotIndexProjection,
  metricsProjection,
  qualityIssuesProjection,
  visualBaselinesProjection,
  learnedWaitsProjection,
];
