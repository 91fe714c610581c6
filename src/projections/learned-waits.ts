import type { RecordedEvent } from "../domain/events/envelope.js";
import type { WaitObservation } from "../domain/waits.js";
import type { SqlExecutor } from "../ports/sql.js";
import type { Projection } from "./projection.js";

/** As many successful durations per key as the WaitLearner keeps. */
export const LEARNED_WAIT_WINDOW = 20;

type Observed = { key: string; duration_ms: number; success: boolean };

/** td_learned_waits: each page-and-action key's latest successful wait durations and its failures. */
export const learnedWaitsProjection: Projection = {
  name: "learned_waits",
  tables: ["td_learned_waits"],
  types: ["WaitObserved"],
  async apply(events, tx) {
    for (const e of events as RecordedEvent<string, Observed>[]) {
      const d = e.data;
      await tx.query(
        `INSERT INTO td_learned_waits AS w (key, durations, failures, updated_at)
         VALUES ($1, CASE WHEN $3 THEN ARRAY[$2::double precision] ELSE '{}' END, CASE WHEN $3 THEN 0 ELSE 1 END, $4)
         ON CONFLICT (key) DO UPDATE SET
           durations = CASE WHEN $3 THEN (w.durations || $2::double precision)[
                         greatest(1, cardinality(w.durations) + 2 - $5):] ELSE w.durations END,
           failures = w.failures + CASE WHEN $3 THEN 0 ELSE 1 END,
           updated_at = EXCLUDED.updated_at`,
        [d.key, d.duration_ms, d.success, e.recordedAt.toISOString(), LEARNED_WAIT_WINDOW],
      );
    }
  },
};

/** The recorded observations, oldest first, to seed a WaitLearner with. */
export async function learnedWaitObservations(db: SqlExecutor): Promise<WaitObservation[]> {
  const { rows } = await db.query<{ key: string; durations: number[]; failures: number }>(
    "SELECT key, durations, failures FROM td_learned_waits",
  );
  return rows.flatMap((r) => [
    ...Array.from({ length: r.failures }, () => ({ key: r.key, durationMs: 0, success: false })),
    ...r.durations.map((ms) => ({ key: r.key, durationMs: Number(ms), success: true })),
  ]);
}
