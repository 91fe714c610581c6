import { randomUUID } from "node:crypto";
import type { NewEvent, RecordedEvent } from "../../domain/events/envelope.js";
import { type EventRegistry, EventValidationError } from "../../domain/events/registry.js";
import {
  type AppendOptions,
  type AppendResult,
  defaultStreamType,
  type EventStore,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
} from "../../domain/events/store.js";
import type { SqlClient, SqlExecutor } from "../../ports/sql.js";
import type { ChangeNotifier } from "./notifier.js";
import { COLUMNS, type EventRow, recordedOf, translateAppendError, VISIBLE } from "./sql-rows.js";
import { runSubscription } from "./subscription.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SqlEventStoreOptions {
  db: SqlClient;
  registry: EventRegistry;
  notifier: ChangeNotifier;
  /** How often a live subscriber looks for new events when no notification arrives. */
  pollIntervalMs?: number;
}

export class SqlEventStore implements EventStore {
  readonly db: SqlClient;
  private readonly registry: EventRegistry;
  private readonly notifier: ChangeNotifier;
  private readonly pollIntervalMs: number;
  private readonly subscriptions = new Set<Subscription>();

  constructor(options: SqlEventStoreOptions) {
    this.db = options.db;
    this.registry = options.registry;
    this.notifier = options.notifier;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    return this.appendWith(this.db, streamId, events, options);
  }

  /** Appends inside a caller's transaction (for inline projections); it must be that transaction's first write. */
  async appendWith(
    executor: SqlExecutor,
    streamId: string,
    events: NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const payload = this.prepare(streamId, events);
    const expected = options.expectedVersion ?? "any";
    const [kind, value] =
      expected === "any"
        ? ["any", null]
        : expected === "no_stream" || expected === 0
          ? ["no_stream", null]
          : ["exact", expected];
    if (kind === "exact" && (!Number.isInteger(value) || (value as number) < 0)) {
      throw new TypeError(
        `expectedVersion must be "no_stream", "any" or a whole number >= 0, got ${expected}`,
      );
    }
    try {
      const { rows } = await executor.query<{ o_version: number; o_position: number; o_duplicate: boolean }>(
        "SELECT o_version, o_position, o_duplicate FROM td_append($1, $2, $3, $4, $5::jsonb, $6)",
        [
          streamId,
          options.streamType ?? defaultStreamType(streamId),
          kind,
          value,
          JSON.stringify(payload),
          events.some((e) => e.eventId !== undefined),
        ],
        "td_append",
      );
      const duplicate = rows[0]?.o_duplicate ?? false;
      if (!duplicate && executor === this.db) this.notifier.appended();
      return {
        streamVersion: Number(rows.at(-1)?.o_version),
        positions: rows.map((r) => Number(r.o_position)),
        duplicate,
      };
    } catch (error) {
      throw translateAppendError(
        error,
        streamId,
        expected,
        payload.map((p) => p.id),
      );
    }
  }

  private prepare(streamId: string, events: NewEvent[]) {
    if (typeof streamId !== "string" || streamId.length === 0 || streamId.length > 200) {
      throw new TypeError("streamId must be a non-empty string of at most 200 characters");
    }
    if (!Array.isArray(events) || events.length === 0) {
      throw new TypeError("events must be a non-empty array");
    }
    const seen = new Set<string>();
    return events.map((event, index) => {
      const { data, schemaVersion } = this.registry.validate(event.type, event.data, index);
      const id = event.eventId ?? randomUUID();
      if (!UUID.test(id)) {
        throw new EventValidationError(
          event.type,
          [{ path: "eventId", message: `not a UUID: ${id}` }],
          index,
        );
      }
      if (seen.has(id.toLowerCase())) {
        throw new EventValidationError(
          event.type,
          [{ path: "eventId", message: `repeated in the batch: ${id}` }],
          index,
        );
      }
      seen.add(id.toLowerCase());
      const metadata = event.metadata ?? {};
      if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
        throw new EventValidationError(
          event.type,
          [{ path: "metadata", message: "must be an object" }],
          index,
        );
      }
      return { id: id.toLowerCase(), type: event.type, v: schemaVersion, data, meta: metadata };
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.readStreamWith(this.db, streamId, options);
  }

  /** Reads a stream through a caller's connection or transaction (a projection's, on single-connection PGlite). */
  async readStreamWith(
    executor: SqlExecutor,
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<RecordedEvent[]> {
    const backwards = options.direction === "backwards";
    const { rows } = await executor.query<EventRow>(
      `SELECT ${COLUMNS} FROM td_events
        WHERE stream_id = $1 AND stream_version >= $2 AND stream_version <= $3
          AND ($4::timestamptz IS NULL OR recorded_at <= $4::timestamptz)
        ORDER BY stream_version ${backwards ? "DESC" : "ASC"} LIMIT $5`,
      [
        streamId,
        options.fromVersion ?? 1,
        options.toVersion ?? Number.MAX_SAFE_INTEGER,
        options.toTime ? options.toTime.toISOString() : null,
        options.limit ?? 1_000_000,
      ],
      backwards ? "td_read_stream_desc" : "td_read_stream_asc",
    );
    return rows.map((row) => recordedOf(this.registry, row));
  }

  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.db.query<{ version: number }>(
      "SELECT version FROM td_streams WHERE stream_id = $1",
      [streamId],
      "td_stream_version",
    );
    return Number(rows[0]?.version ?? 0);
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const after = options.after ?? 0;
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${COLUMNS} FROM td_events WHERE global_position > $1 AND ${VISIBLE}
        ORDER BY global_position LIMIT $2`,
      [after, options.limit ?? 1000],
      "td_read_all",
    );
    const events = rows.map((row) => recordedOf(this.registry, row));
    return { events, nextAfter: events.at(-1)?.globalPosition ?? after };
  }

  /**
   * The events with positions in (after, upTo], through a caller's transaction. For positions a reader has
   * already seen (a projection's checkpoint): the visibility rule of readAll has admitted them before.
   */
  async readRangeWith(executor: SqlExecutor, after: number, upTo: number): Promise<RecordedEvent[]> {
    const { rows } = await executor.query<EventRow>(
      `SELECT ${COLUMNS} FROM td_events WHERE global_position > $1 AND global_position <= $2
        ORDER BY global_position`,
      [after, upTo],
    );
    return rows.map((row) => recordedOf(this.registry, row));
  }

  async headPosition(): Promise<number> {
    const { rows } = await this.db.query<{ head: number | null }>(
      `SELECT max(global_position) AS head FROM td_events WHERE ${VISIBLE}`,
      [],
      "td_head",
    );
    return Number(rows[0]?.head ?? 0);
  }

  /** Called when the log may have grown (a hint: readers should also poll). */
  onChange(listener: () => void): () => void {
    return this.notifier.onChange(listener);
  }

  /** The checkpoint from which the newest `count` visible events follow (0 when there are fewer). */
  async positionBeforeLast(count: number): Promise<number> {
    const { rows } = await this.db.query<{ position: number }>(
      `SELECT global_position AS position FROM td_events WHERE ${VISIBLE}
        ORDER BY global_position DESC OFFSET $1 LIMIT 1`,
      [count],
    );
    return Number(rows[0]?.position ?? 0);
  }

  subscribe(options: SubscribeOptions): Subscription {
    const subscription = runSubscription({
      read: (after, limit) => this.readAll({ after, limit }),
      notifier: this.notifier,
      pollIntervalMs: this.pollIntervalMs,
      ...options,
    });
    this.subscriptions.add(subscription);
    subscription.done.then(
      () => this.subscriptions.delete(subscription),
      () => this.subscriptions.delete(subscription),
    );
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.subscriptions].map((s) => s.stop()));
    await this.notifier.close();
    await this.db.close();
  }
}
