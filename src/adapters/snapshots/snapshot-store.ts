import type { BlobStore } from "../blobs/fs-blob-store.js";
import type { StateSnapshot } from "../browser/snapshot.js";
import type { SqlExecutor } from "../sql/client.js";

/**
 * Keeps snapshots as JSON blobs and indexes them by run and time in td_snapshot_index (a hypertable when
 * TimescaleDB is present), so a run's snapshots can be listed and the last one before a moment found.
 */
export class SnapshotStore {
  constructor(
    private readonly blobs: BlobStore,
    private readonly db: SqlExecutor,
  ) {}

  /** Stores the snapshot's JSON by content and returns its hash; the index is left to `index` or a projection. */
  async put(snapshot: StateSnapshot): Promise<string> {
    return (await this.blobs.put(JSON.stringify(snapshot))).hash;
  }

  /** Stores the snapshot and indexes it in one go. */
  async save(snapshot: StateSnapshot, stepIndex?: number): Promise<string> {
    const hash = await this.put(snapshot);
    await this.index(snapshot, hash, stepIndex);
    return hash;
  }

  async index(snapshot: StateSnapshot, hash: string, stepIndex?: number): Promise<void> {
    await this.db.query(
      `INSERT INTO td_snapshot_index (time, run_id, step_index, snapshot_hash, screenshot_hash, url)
       VALUES ($1::timestamptz, $2, $3, $4, $5, $6)`,
      [
        snapshot.timestamp,
        snapshot.runId,
        stepIndex ?? null,
        hash,
        snapshot.screenshotHash ?? null,
        snapshot.url,
      ],
    );
  }

  async load(hash: string): Promise<StateSnapshot> {
    return JSON.parse((await this.blobs.get(hash)).toString("utf8")) as StateSnapshot;
  }

  /** The newest snapshot of a run taken at or before `before` (default: now). */
  async lastOf(runId: string, before?: Date): Promise<StateSnapshot | undefined> {
    const { rows } = await this.db.query<{ hash: string }>(
      `SELECT snapshot_hash AS hash FROM td_snapshot_index
        WHERE run_id = $1 AND time <= coalesce($2::timestamptz, now())
        ORDER BY time DESC LIMIT 1`,
      [runId, before ? before.toISOString() : null],
    );
    return rows[0] ? this.load(rows[0].hash) : undefined;
  }

  async listOf(
    runId: string,
  ): Promise<{ time: Date; stepIndex: number | null; hash: string; url: string | null }[]> {
    const { rows } = await this.db.query<{
      time: Date;
      step_index: number | null;
      hash: string;
      url: string | null;
    }>(
      `SELECT time, step_index, snapshot_hash AS hash, url FROM td_snapshot_index WHERE run_id = $1 ORDER BY time`,
      [runId],
    );
    return rows.map((r) => ({ time: new Date(r.time), stepIndex: r.step_index, hash: r.hash, url: r.url }));
  }
}
