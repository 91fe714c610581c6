import type { EventMetadata, RecordedEvent } from "../domain/events/envelope.js";
import { ConcurrencyError, type EventStore } from "../domain/events/store.js";

export interface Aggregate<State, Command, Event extends { type: string; data: unknown }> {
  initial: () => State;
  /** The same function for the cache and a fold of the log: time is in the events, never taken here. */
  evolve: (state: State, event: Event) => State;
  decide: (command: Command, state: State) => Event[];
  /** The stream version a state stands at (how many events were folded). */
  versionOf: (state: State) => number;
}

export interface HandleResult<State, Event> {
  state: State;
  events: Event[];
  /** Global positions of the appended events. */
  positions: number[];
}

/**
 * The thin shell around a pure aggregate: load the stream, fold, decide, append with the version that was
 * read; on a concurrency conflict, do it all again with the newer events. Keeps each stream's last state,
 * so a long run reads only what it has not seen.
 */
export class CommandHandler<State, Command, Event extends { type: string; data: unknown }> {
  private readonly cache = new Map<string, State>();

  constructor(
    private readonly store: EventStore,
    private readonly aggregate: Aggregate<State, Command, Event>,
    private readonly options: { maxRetries?: number; cacheSize?: number } = {},
  ) {}

  private toEvent(recorded: RecordedEvent): Event {
    return { type: recorded.type, data: recorded.data } as Event;
  }

  /** The state this process holds for a stream after its last command, without reading: undefined if none. */
  cached(streamId: string): State | undefined {
    return this.cache.get(streamId);
  }

  /** The stream's current state. */
  async load(streamId: string): Promise<State> {
    const cached = this.cache.get(streamId);
    const from = cached ?? this.aggregate.initial();
    const events = await this.store.readStream(streamId, { fromVersion: this.aggregate.versionOf(from) + 1 });
    const state = events.reduce((s, e) => this.aggregate.evolve(s, this.toEvent(e)), from);
    this.remember(streamId, state);
    return state;
  }

  private remember(streamId: string, state: State) {
    this.cache.delete(streamId);
    this.cache.set(streamId, state);
    const limit = this.options.cacheSize ?? 500;
    if (this.cache.size > limit) this.cache.delete(this.cache.keys().next().value!);
  }

  async handle(
    streamId: string,
    command: Command | ((state: State) => Command),
    options: { metadata?: EventMetadata; streamType?: string } = {},
  ): Promise<HandleResult<State, Event>> {
    const maxRetries = this.options.maxRetries ?? 5;
    // Decide on the cached state without reading first: if another writer moved the stream on, the expected
    // version no longer matches, the append is refused, and the retry reads what it missed.
    const cached = this.cache.get(streamId);
    let state = cached ?? (await this.load(streamId));
    let fresh = cached === undefined;
    const decideOn = (s: State) =>
      this.aggregate.decide(
        typeof command === "function" ? (command as (x: State) => Command)(s) : command,
        s,
      );
    for (let attempt = 0; ; attempt++) {
      let decided: Event[];
      try {
        decided = decideOn(state);
      } catch (error) {
        // A refusal may come from a stale cache (another process moved the stream on): check with a fresh read.
        if (fresh) throw error;
        state = await this.load(streamId);
        fresh = true;
        decided = decideOn(state);
      }
      if (decided.length === 0) return { state, events: [], positions: [] };
      const version = this.aggregate.versionOf(state);
      try {
        const result = await this.store.append(
          streamId,
          decided.map((e) => ({ type: e.type, data: e.data, metadata: options.metadata })),
          { expectedVersion: version === 0 ? "no_stream" : version, streamType: options.streamType },
        );
        const next = decided.reduce<State>((s, e) => this.aggregate.evolve(s, e), state);
        this.remember(streamId, next);
        return { state: next, events: decided, positions: result.positions };
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= maxRetries) throw error;
        state = await this.load(streamId);
        fresh = true;
      }
    }
  }
}
