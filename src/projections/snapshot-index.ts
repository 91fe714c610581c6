import type { RecordedEvent } from "../domain/events/envelope.js";
import type { RunEventData } from "../domain/run/events.js";
import type { SqlExecutor } from "../ports/sql.js";
import type { Projection } from "./projection.js";

const runIdOf = (streamId: string) => streamId.slice("run-".length);

/** td_snapshot_index: every run's snapshots by time (a hypertable with TimescaleDB), for "the snapshot then". */
export const snapshotIndexProjection: Projection = {
  name: "snapshot_index",
  tables: ["td_snapshot_index"],
  types: ["SnapshotCaptured"],
  async apply(events, tx) {
    for (const e of events as RecordedEvent<string, RunEventData<"SnapshotCaptured">>[]) {
      const d = e.data;
      await tx.query(
        `INSERT INTO td_snapshot_index (time, run_id, step_index, snapshot_hash, screenshot_hash, url)
         VALUES ($1::timestamptz, $2, $3, $4, $5, $6)`,
        [d.at, runIdOf(e.streamId), d.index ?? null, d.snapshot_hash, d.screenshot_hash ?? null, d.url],
      );
    }
  },
};

/** The hash of a run's newest snapshot taken at or before a moment (default: now). */
export async function lastSnapshotOf(
  db: SqlExecutor,
  runId: string,
  before?: Date,
): Promise<string | undefined> {
  const { rows } = await db.query<{ hash: string }>(
    `SELECT snapshot_hash AS hash FROM td_snapshot_index
      WHERE run_id = $1 AND time <= coalesce($2::timestamptz, now())
      ORDER BY time DESC LIMIT 1`,
    [runId, before ? before.toISOString() : null],
  );
  return rows[0]?.hash;
}

/** A run's snapshots in the order they were taken. */
export async function snapshotsOf(db: SqlExecutor, runId: string) {
  const { rows } = await db.query<{
    time: Date;
    step_index: number | null;
    hash: string;
    url: string | null;
  }>(
    "SELECT time, step_index, snapshot_hash AS hash, url FROM td_snapshot_index WHERE run_id = $1 ORDER BY time",
    [runId],
  );
  return rows.map((r) => ({ time: new Date(r.time), stepIndex: r.step_index, hash: r.hash, url: r.url }));
}
