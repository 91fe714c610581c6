import { type Follower, followLog } from "../adapters/eventstore/follow.js";
import type { SqlEventStore } from "../adapters/eventstore/sql-event-store.js";
import type { Logger } from "../ports/logger.js";
import type { Projection } from "./projection.js";
import { rebuildBeside } from "./rebuild.js";

const checkpointName = (projection: string) => `projection:${projection}`;

export interface ProjectionStatus {
  name: string;
  checkpoint: number;
  head: number;
  /** Events in the log the projection has not applied yet. */
  lag: number;
}

/**
 * Runs async projections: each reads the global log from its checkpoint in batches, and writes a batch and
 * its new checkpoint in one transaction. Follows the log live once caught up.
 */
export class ProjectionRunner {
  private follower: Follower | undefined;

  constructor(
    private readonly store: SqlEventStore,
    readonly projections: Projection[],
    private readonly options: { batchSize?: number; pollIntervalMs?: number; logger?: Logger } = {},
  ) {
    const names = new Set<string>();
    for (const p of projections) {
      if (names.has(p.name)) throw new Error(`projection ${p.name} is registered twice`);
      names.add(p.name);
    }
  }

  private projection(name: string): Projection {
    const p = this.projections.find((x) => x.name === name);
    if (!p)
      throw new Error(
        `no projection named ${name}; known: ${this.projections.map((x) => x.name).join(", ")}`,
      );
    return p;
  }

  async checkpoint(name: string): Promise<number> {
    const { rows } = await this.store.db.query<{ position: number }>(
      "SELECT position FROM td_checkpoints WHERE name = $1",
      [checkpointName(name)],
    );
    return Number(rows[0]?.position ?? 0);
  }

  /** Applies one batch to one projection; returns how many events it read (0: caught up). */
  async step(projection: Projection): Promise<number> {
    const after = await this.checkpoint(projection.name);
    const page = await this.store.readAll({ after, limit: this.options.batchSize ?? 500 });
    if (page.events.length === 0) return 0;
    const wanted = projection.types
      ? page.events.filter((e) => projection.types!.includes(e.type))
      : page.events;
    await this.store.db.transaction(async (tx) => {
      // The checkpoint row is locked first: a second runner on the same database waits, then sees the move.
      const { rows } = await tx.query<{ position: number }>(
        `INSERT INTO td_checkpoints (name, position) VALUES ($1, 0)
         ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING position`,
        [checkpointName(projection.name)],
      );
      if (Number(rows[0]!.position) !== after) return;
      if (wanted.length > 0) {
        await projection.apply(wanted, tx, {
          // Through the transaction: PGlite has one connection, which the transaction holds.
          readStreamUpTo: async (streamId, position) =>
            (await this.store.readStreamWith(tx, streamId)).filter((e) => e.globalPosition <= position),
        });
      }
      await tx.query("UPDATE td_checkpoints SET position = $2, updated_at = now() WHERE name = $1", [
        checkpointName(projection.name),
        page.nextAfter,
      ]);
    });
    return page.events.length;
  }

  /** Brings every projection up to the log's current head. */
  async catchUp(): Promise<void> {
    for (const projection of this.projections) {
      while ((await this.step(projection)) > 0) {
        // Keep going until the projection has read everything visible.
      }
    }
  }

  /**
   * Re-folds a projection (or all) from the start of the log into tables beside the live ones, then swaps
   * the rows in one transaction: readers see the old model until then, never a partial one (rebuild.ts).
   */
  async rebuild(name?: string): Promise<void> {
    const targets = name ? [this.projection(name)] : this.projections;
    for (const projection of targets) {
      await rebuildBeside(this.store, projection, {
        checkpoint: checkpointName(projection.name),
        batchSize: this.options.batchSize,
      });
    }
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    return Promise.all(
      this.projections.map(async (p) => {
        const checkpoint = await this.checkpoint(p.name);
        return { name: p.name, checkpoint, head, lag: Math.max(0, head - checkpoint) };
      }),
    );
  }

  /** Follows the log in the background until stop(). */
  start(): void {
    this.follower ??= followLog(
      this.store,
      async () => {
        try {
          await this.catchUp();
        } catch (error) {
          this.options.logger?.error({ err: error }, "projection batch failed; will retry");
        }
        return undefined;
      },
      { pollIntervalMs: this.options.pollIntervalMs ?? 500 },
    );
  }

  async stop(): Promise<void> {
    const follower = this.follower;
    this.follower = undefined;
    await follower?.stop();
  }
}
