import { randomUUID } from "node:crypto";
import { EsdbEventStore } from "../../src/adapters/eventstore/esdb-event-store.js";
import type { NewEvent, RecordedEvent } from "../../src/domain/events/envelope.js";
import type {
  AppendOptions,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
} from "../../src/domain/events/store.js";
import { testRegistry } from "./databases.js";

export const ESDB_URL = process.env.ESDB_URL;

/**
 * An EventStoreDB store seen through a prefix: each test gets streams of its own on a shared server, and
 * reads of the whole log see only them, as a fresh SQL schema would.
 */
export class PrefixedStore implements EventStore {
  private readonly prefix = `t${randomUUID().slice(0, 8)}_`;
  constructor(private readonly inner: EsdbEventStore) {}

  private mine = (e: RecordedEvent) => e.streamId.startsWith(this.prefix);
  private strip = (e: RecordedEvent): RecordedEvent => ({
    ...e,
    streamId: e.streamId.slice(this.prefix.length),
  });

  append(streamId: string, events: NewEvent[], options: AppendOptions = {}) {
    return this.inner.append(this.prefix + streamId, events, {
      ...options,
      streamType: options.streamType ?? streamId.split("-")[0],
    });
  }
  async readStream(streamId: string, options?: ReadStreamOptions) {
    return (await this.inner.readStream(this.prefix + streamId, options)).map(this.strip);
  }
  streamVersion(streamId: string) {
    return this.inner.streamVersion(this.prefix + streamId);
  }
  async readAll(options: ReadAllOptions = {}) {
    const limit = options.limit ?? 1000;
    const events: RecordedEvent[] = [];
    let after = options.after ?? 0;
    for (;;) {
      const page = await this.inner.readAll({ after, limit: 1000 });
      for (const e of page.events) if (this.mine(e) && events.length < limit) events.push(this.strip(e));
      if (page.events.length < 1000 || events.length >= limit) break;
      after = page.nextAfter;
    }
    return { events, nextAfter: events.at(-1)?.globalPosition ?? options.after ?? 0 };
  }
  async headPosition() {
    const all = await this.readAll({ limit: Number.MAX_SAFE_INTEGER });
    return all.events.at(-1)?.globalPosition ?? 0;
  }
  subscribe(options: SubscribeOptions) {
    return this.inner.subscribe({
      ...options,
      handler: (e) => (this.mine(e) ? options.handler(this.strip(e)) : undefined),
    });
  }
  close() {
    return this.inner.close();
  }
}

export const openEsdb = async () => new PrefixedStore(new EsdbEventStore(ESDB_URL!, testRegistry()));
