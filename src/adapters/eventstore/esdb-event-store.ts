import { randomUUID } from "node:crypto";
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  type ResolvedEvent,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from "@eventstore/db-client";
import type { NewEvent, RecordedEvent } from "../../domain/events/envelope.js";
import type { EventRegistry } from "../../domain/events/registry.js";
import {
  type AppendOptions,
  type AppendResult,
  ConcurrencyError,
  defaultStreamType,
  type EventStore,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
} from "../../domain/events/store.js";

// Kept in each event's metadata, beside the caller's: what the log needs that ESDB has no field for.
const STREAM_TYPE = "td:streamType";
const SCHEMA_VERSION = "td:schemaVersion";

/**
 * The event store on EventStoreDB. Stream versions are ESDB revisions + 1 (ours start at 1), global
 * positions are `$all` commit positions (they grow, with gaps, like ours). Differences from the SQL store:
 * a reused event id with different content is not refused (ESDB deduplicates by id only, within its
 * idempotency window), `duplicate` is never reported, and appends inside a caller's transaction and the
 * immutability triggers do not exist here.
 */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;

  constructor(
    connectionString: string,
    private readonly registry: EventRegistry,
  ) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    if (events.length === 0) throw new TypeError("events must be a non-empty array");
    const streamType = options.streamType ?? defaultStreamType(streamId);
    const expected = options.expectedVersion ?? "any";
    if (typeof expected === "number" && (!Number.isInteger(expected) || expected < 0)) {
      throw new TypeError(
        `expectedVersion must be "no_stream", "any" or a whole number >= 0, got ${expected}`,
      );
    }
    const ids = events.map((e) => e.eventId?.toLowerCase()).filter((id): id is string => id !== undefined);
    if (new Set(ids).size !== ids.length) throw new TypeError("an event id is repeated in the batch");
    const prepared = events.map((event, index) => {
      const { data, schemaVersion } = this.registry.validate(event.type, event.data, index);
      return jsonEvent({
        id: event.eventId ?? randomUUID(),
        type: event.type,
        data: data as Record<string, unknown>,
        metadata: { ...(event.metadata ?? {}), [STREAM_TYPE]: streamType, [SCHEMA_VERSION]: schemaVersion },
      });
    });
    const expectedRevision =
      expected === "any"
        ? ANY
        : expected === "no_stream" || expected === 0
          ? NO_STREAM
          : BigInt(expected - 1);
    try {
      const result = await this.client.appendToStream(streamId, prepared, { expectedRevision });
      const version = Number(result.nextExpectedRevision) + 1;
      const written = await this.readStream(streamId, { fromVersion: version - events.length + 1 });
      return { streamVersion: version, positions: written.map((e) => e.globalPosition), duplicate: false };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = typeof error.actualVersion === "bigint" ? Number(error.actualVersion) + 1 : 0;
        throw new ConcurrencyError(streamId, expected, actual);
      }
      throw error;
    }
  }

  private toRecorded(resolved: ResolvedEvent): RecordedEvent | undefined {
    const e = resolved.event;
    if (!e || e.type.startsWith("$") || e.streamId.startsWith("$")) return undefined;
    const metadata = { ...((e.metadata ?? {}) as Record<string, unknown>) };
    const streamType = String(metadata[STREAM_TYPE] ?? defaultStreamType(e.streamId));
    const stored = Number(metadata[SCHEMA_VERSION] ?? 1);
    delete metadata[STREAM_TYPE];
    delete metadata[SCHEMA_VERSION];
    const { data, schemaVersion } = this.registry.upcast(e.type, stored, e.data, { recordedAt: e.created });
    return {
      eventId: e.id,
      streamId: e.streamId,
      streamType,
      streamVersion: Number(e.revision) + 1,
      globalPosition: Number(e.position?.commit ?? resolved.commitPosition ?? 0),
      type: e.type,
      schemaVersion,
      data,
      metadata,
      recordedAt: e.created,
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === "backwards";
    const from = backwards
      ? options.toVersion !== undefined
        ? BigInt(options.toVersion - 1)
        : END
      : options.fromVersion !== undefined
        ? BigInt(Math.max(0, options.fromVersion - 1))
        : START;
    const out: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: from,
      })) {
        const event = this.toRecorded(resolved);
        if (!event) continue;
        if (backwards && options.fromVersion !== undefined && event.streamVersion < options.fromVersion)
          break;
        if (!backwards && options.toVersion !== undefined && event.streamVersion > options.toVersion) break;
        if (options.toTime && event.recordedAt > options.toTime) {
          if (backwards) continue;
          break;
        }
        out.push(event);
        if (options.limit !== undefined && out.length >= options.limit) break;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  async streamVersion(streamId: string): Promise<number> {
    const [last] = await this.readStream(streamId, { direction: "backwards", limit: 1 });
    return last?.streamVersion ?? 0;
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const after = options.after ?? 0;
    const limit = options.limit ?? 1000;
    const events: RecordedEvent[] = [];
    for await (const resolved of this.client.readAll({
      direction: FORWARDS,
      fromPosition: after === 0 ? START : { commit: BigInt(after), prepare: BigInt(after) },
    })) {
      // System events are skipped here: reads of $all take no server-side filter in this client.
      const event = this.toRecorded(resolved);
      if (!event || event.globalPosition <= after) continue;
      events.push(event);
      if (events.length >= limit) break;
    }
    return { events, nextAfter: events.at(-1)?.globalPosition ?? after };
  }

  /** The checkpoint from which the newest `count` events follow (0 when there are fewer). */
  async positionBeforeLast(count: number): Promise<number> {
    let seen = 0;
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END })) {
      const event = this.toRecorded(resolved);
      if (!event) continue;
      if (seen === count) return event.globalPosition;
      seen++;
    }
    return 0;
  }

  async headPosition(): Promise<number> {
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END })) {
      const event = this.toRecorded(resolved);
      if (event) return event.globalPosition;
    }
    return 0;
  }

  subscribe(options: SubscribeOptions): Subscription {
    const after = options.after ?? 0;
    const subscription = this.client.subscribeToAll({
      fromPosition: after === 0 ? START : { commit: BigInt(after), prepare: BigInt(after) },
      filter: excludeSystemEvents(),
    });
    const done = (async () => {
      for await (const resolved of subscription) {
        const event = this.toRecorded(resolved as ResolvedEvent);
        if (!event || event.globalPosition <= after) continue;
        await options.handler(event);
      }
    })();
    done.catch(() => {});
    return {
      done,
      stop: async () => {
        await subscription.unsubscribe();
        await done.catch(() => {});
      },
    };
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
