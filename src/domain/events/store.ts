import type { NewEvent, RecordedEvent } from "./envelope.js";

/**
 * What the stream must look like for an append to go through.
 * `no_stream`: it has no events yet. `any`: no check. A number: the stream's current version is exactly that
 * (0 means no events, the same as `no_stream`).
 */
export type ExpectedVersion = "no_stream" | "any" | number;

export interface AppendOptions {
  expectedVersion?: ExpectedVersion;
  /** Defaults to the part of the stream id before its first '-'. */
  streamType?: string;
}

export interface AppendResult {
  /** The stream's version after the append. */
  streamVersion: number;
  /** The global position of each appended event, in order. */
  positions: number[];
  /** True when every event was already stored (an idempotent retry) and nothing was written. */
  duplicate: boolean;
}

export interface ReadStreamOptions {
  direction?: "forwards" | "backwards";
  /** Inclusive lower bound on the stream version. */
  fromVersion?: number;
  /** Inclusive upper bound on the stream version. */
  toVersion?: number;
  /** Only events recorded at or before this time. */
  toTime?: Date;
  limit?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events after this global position. 0 reads from the start. */
  after?: number;
  limit?: number;
}

export interface ReadAllPage {
  events: RecordedEvent[];
  /** Pass as `after` to read the next page; equals `after` when nothing new was visible. */
  nextAfter: number;
}

export interface Subscription {
  /** Resolves once the subscription has stopped and its handler will not be called again. */
  stop(): Promise<void>;
  /** Rejects if the handler throws; the subscription stops then. */
  readonly done: Promise<void>;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: deliver events after this position. */
  after?: number;
  batchSize?: number;
  handler: (event: RecordedEvent) => Promise<void> | void;
  /** Called after each caught-up read, with the position reached: a place to persist a checkpoint. */
  onCaughtUp?: (position: number) => void;
}

export interface EventStore {
  append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The stream's current version, 0 when it has no events. */
  streamVersion(streamId: string): Promise<number>;
  readAll(options?: ReadAllOptions): Promise<ReadAllPage>;
  /** The highest position a reader can see now. */
  headPosition(): Promise<number>;
  subscribe(options: SubscribeOptions): Subscription;
  close(): Promise<void>;
}

export class ConcurrencyError extends Error {
  override readonly name = "ConcurrencyError";
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected version ${String(expected)} but it is at ${actual}`);
  }
}

export class IdempotencyConflictError extends Error {
  override readonly name = "IdempotencyConflictError";
  constructor(
    readonly streamId: string,
    readonly eventIds: string[],
    detail: string,
  ) {
    super(
      `stream ${streamId}: event id(s) ${eventIds.join(", ")} already stored with different content (${detail})`,
    );
  }
}

export function defaultStreamType(streamId: string): string {
  const dash = streamId.indexOf("-");
  return dash > 0 ? streamId.slice(0, dash) : streamId;
}
