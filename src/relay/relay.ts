import { type Follower, followLog } from "../adapters/eventstore/follow.js";
import type { SqlEventStore } from "../adapters/eventstore/sql-event-store.js";
import type { Logger } from "../ports/logger.js";
import { relayLock } from "./lock.js";
import { type EventSink, type TopicOptions, toMessage } from "./messages.js";

export interface RelayOptions extends Partial<TopicOptions> {
  /** Names the checkpoint (`relay:<name>`) and the lock; one relay per name publishes at a time. */
  name?: string;
  batchSize?: number;
  pollIntervalMs?: number;
  /** Backoff after a failed publish: doubles from `initialMs` up to `maxMs`, retried while running. */
  retry?: { initialMs?: number; maxMs?: number };
  logger?: Logger;
  /** Test hook: runs after the sink acknowledged and before the checkpoint moves (a crash there). */
  afterPublish?: (positions: number[]) => Promise<void> | void;
}

export interface RelayStatus {
  name: string;
  checkpoint: number;
  head: number;
  lag: number;
  published: number;
  holdsLock: boolean;
}

/**
 * The outbox relay: reads the global log from its checkpoint and publishes each event to the sink, in log
 * order, keyed by stream. At least once: the checkpoint moves only after the sink acknowledged the batch, so
 * a crash in between publishes the batch again on restart, never skips it.
 */
export class OutboxRelay {
  readonly name: string;
  private readonly topics: TopicOptions;
  private readonly lock;
  private follower: Follower | undefined;
  private holdsLock = false;

  constructor(
    private readonly store: SqlEventStore,
    private readonly sink: EventSink,
    private readonly options: RelayOptions = {},
  ) {
    this.name = options.name ?? "kafka";
    this.topics = {
      topic: options.topic ?? "testdriver.events",
      topicPerStreamType: options.topicPerStreamType ?? false,
    };
    this.lock = relayLock(store.db, this.name);
  }

  private get checkpointName() {
    return `relay:${this.name}`;
  }

  async checkpoint(): Promise<number> {
    const { rows } = await this.store.db.query<{ position: string | number }>(
      "SELECT position FROM td_checkpoints WHERE name = $1",
      [this.checkpointName],
    );
    return Number(rows[0]?.position ?? 0);
  }

  /**
   * Publishes one batch. Returns how many events it published: 0 when caught up, or when another relay
   * holds the lock (then `holdsLock` stays false).
   */
  async publishBatch(): Promise<number> {
    this.holdsLock = await this.lock.tryAcquire();
    if (!this.holdsLock) return 0;
    const after = await this.checkpoint();
    const page = await this.store.readAll({ after, limit: this.options.batchSize ?? 500 });
    if (page.events.length === 0) return 0;
    const messages = page.events.map((e) => toMessage(e, this.topics));
    await this.sink.publish(messages);
    await this.options.afterPublish?.(messages.map((m) => m.position));
    await this.store.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO td_checkpoints (name, position) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
        [this.checkpointName, page.nextAfter],
      );
      await tx.query(
        `INSERT INTO td_relay_stats (name, published, last_published_at) VALUES ($1, $2, now())
         ON CONFLICT (name) DO UPDATE SET published = td_relay_stats.published + EXCLUDED.published,
           last_published_at = EXCLUDED.last_published_at`,
        [this.name, messages.length],
      );
    });
    return messages.length;
  }

  /** Publishes until the relay has caught up with the log. */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.publishBatch(); n > 0; n = await this.publishBatch()) total += n;
    return total;
  }

  async status(): Promise<RelayStatus> {
    const [checkpoint, head, stats] = await Promise.all([
      this.checkpoint(),
      this.store.headPosition(),
      this.store.db.query<{ published: string | number }>(
        "SELECT published FROM td_relay_stats WHERE name = $1",
        [this.name],
      ),
    ]);
    return {
      name: this.name,
      checkpoint,
      head,
      lag: Math.max(0, head - checkpoint),
      published: Number(stats.rows[0]?.published ?? 0),
      holdsLock: this.holdsLock,
    };
  }

  /** Follows the log until stop(); publish failures are retried with backoff, never skipped. */
  start(): void {
    if (this.follower) return;
    const initial = this.options.retry?.initialMs ?? 200;
    const max = this.options.retry?.maxMs ?? 30_000;
    let backoff = initial;
    this.follower = followLog(
      this.store,
      async () => {
        try {
          await this.drain();
          backoff = initial;
          return undefined;
        } catch (error) {
          this.options.logger?.warn({ err: error, retryInMs: backoff }, "relay publish failed; retrying");
          const wait = backoff;
          backoff = Math.min(max, backoff * 2);
          return { backoffMs: wait };
        }
      },
      { pollIntervalMs: this.options.pollIntervalMs ?? 500 },
    );
  }

  async stop(): Promise<void> {
    const follower = this.follower;
    this.follower = undefined;
    await follower?.stop();
    await this.lock.release();
    this.holdsLock = false;
  }
}
