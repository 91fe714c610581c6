import { performance } from "node:perf_hooks";
import { z } from "zod";
import { openEventStore, type StoreConfig } from "../adapters/eventstore/open.js";
import type { SqlEventStore } from "../adapters/eventstore/sql-event-store.js";
import type { RecordedEvent } from "../domain/events/envelope.js";
import { defineEvent, EventRegistry } from "../domain/events/registry.js";
import { rate, ratio } from "./measure.js";

export interface EventStoreBenchOptions {
  stores: { name: string; config: StoreConfig; peerConnectionString?: string }[];
  singleAppends?: number;
  batches?: number;
  writers?: number;
  appendsPerWriter?: number;
}

export interface Workload {
  singleAppendsPerSec: number;
  batchAppendEventsPerSec: number;
  concurrentAppendsPerSec: number;
  readAllEventsPerSec: number;
}

const benchEvent = defineEvent({
  type: "BenchEvent",
  version: 1,
  schema: z.object({ i: z.number().int(), label: z.string(), tags: z.array(z.string()) }),
});
const event = (i: number) => ({
  type: "BenchEvent",
  data: { i, label: `step ${i} clicked`, tags: ["bench", "x"] },
});
const BATCH = 100;

/** The same workload, given how to append one batch to a stream and how to read the whole log. */
async function workload(
  options: Required<Omit<EventStoreBenchOptions, "stores">>,
  append: (stream: string, events: ReturnType<typeof event>[]) => Promise<void>,
  readAll: () => Promise<number>,
  prefix: string,
): Promise<Workload> {
  const singleAppendsPerSec = await rate(options.singleAppends, async () => {
    for (let i = 0; i < options.singleAppends; i++) await append(`${prefix}single-${i % 50}`, [event(i)]);
  });
  const batchAppendEventsPerSec = await rate(options.batches * BATCH, async () => {
    for (let b = 0; b < options.batches; b++) {
      await append(
        `${prefix}batch-${b}`,
        Array.from({ length: BATCH }, (_, i) => event(i)),
      );
    }
  });
  const concurrentAppendsPerSec = await rate(options.writers * options.appendsPerWriter, async () => {
    await Promise.all(
      Array.from({ length: options.writers }, async (_, w) => {
        for (let i = 0; i < options.appendsPerWriter; i++) await append(`${prefix}writer-${w}`, [event(i)]);
      }),
    );
  });
  // Best of three passes over the whole log, for either store: one pass is short enough that JIT warm-up
  // and GC would otherwise dominate it.
  let readAllEventsPerSec = 0;
  for (let pass = 0; pass < 3; pass++) {
    const started = performance.now();
    const total = await readAll();
    readAllEventsPerSec = Math.max(
      readAllEventsPerSec,
      Math.round(total / ((performance.now() - started) / 1000)),
    );
  }
  return { singleAppendsPerSec, batchAppendEventsPerSec, concurrentAppendsPerSec, readAllEventsPerSec };
}

async function readAllOurs(store: SqlEventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await store.readAll({ after, limit: 2000 });
    if (page.events.length === 0) return all;
    for (const e of page.events) all.push(e);
    after = page.nextAfter;
  }
}

/** A fold shaped like an aggregate's: per-stream state rebuilt event by event, with a switch on type. */
function fold(events: RecordedEvent[]) {
  const state = new Map<string, { version: number; sum: number; last: string }>();
  for (const e of events) {
    const current = state.get(e.streamId) ?? { version: 0, sum: 0, last: "" };
    switch (e.type) {
      case "BenchEvent": {
        const data = e.data as { i: number; label: string };
        state.set(e.streamId, { version: e.streamVersion, sum: current.sum + data.i, last: data.label });
        break;
      }
      default:
        state.set(e.streamId, { ...current, version: e.streamVersion });
    }
  }
  return state;
}

async function peerEmmett(
  connectionString: string,
  options: Required<Omit<EventStoreBenchOptions, "stores">>,
): Promise<(Workload & { peer: string }) | { peer: string; error: string }> {
  const peer = "@event-driven-io/emmett-postgresql";
  try {
    const emmett = await import("@event-driven-io/emmett-postgresql");
    const { dumbo } = await import("@event-driven-io/dumbo");
    const store = emmett.getPostgreSQLEventStore(connectionString);
    const db = dumbo({ connectionString });
    try {
      await store.schema.migrate();
      const result = await workload(
        options,
        async (stream, events) => {
          await store.appendToStream(stream, events);
        },
        async () => {
          let count = 0;
          let after = 0n;
          for (;;) {
            const batch = await emmett.readMessagesBatch(db.execute, { after, batchSize: 2000 });
            if (batch.messages.length === 0) return count;
            count += batch.messages.length;
            after = batch.currentGlobalPosition;
          }
        },
        "",
      );
      return { peer, ...result };
    } finally {
      await store.close();
      await db.close();
    }
  } catch (error) {
    return { peer, error: (error as Error).message };
  }
}

export async function benchEventStore(options: EventStoreBenchOptions): Promise<Record<string, unknown>[]> {
  const sizes = {
    singleAppends: options.singleAppends ?? 2000,
    batches: options.batches ?? 300,
    writers: options.writers ?? 8,
    appendsPerWriter: options.appendsPerWriter ?? 250,
  };
  const lines: Record<string, unknown>[] = [];
  for (const target of options.stores) {
    const { store } = await openEventStore(target.config, new EventRegistry([benchEvent]));
    let ours: Workload;
    let foldEventsPerSec = 0;
    let events: RecordedEvent[] = [];
    try {
      ours = await workload(
        sizes,
        async (stream, batch) => {
          await store.append(stream, batch);
        },
        async () => {
          events = await readAllOurs(store);
          return events.length;
        },
        "",
      );
      const rounds = 20;
      foldEventsPerSec = await rate(events.length * rounds, () => {
        for (let r = 0; r < rounds; r++) fold(events);
      });
    } finally {
      await store.close();
    }
    const line: Record<string, unknown> = {
      bench: "eventstore",
      store: target.name,
      events: events.length,
      ...ours,
      foldEventsPerSec,
    };
    if (target.peerConnectionString) {
      const peer = await peerEmmett(target.peerConnectionString, sizes);
      line.emmett = peer;
      if (!("error" in peer)) {
        line.singleAppendRatioVsEmmett = ratio(ours.singleAppendsPerSec, peer.singleAppendsPerSec);
        line.batchAppendRatioVsEmmett = ratio(ours.batchAppendEventsPerSec, peer.batchAppendEventsPerSec);
        line.concurrentAppendRatioVsEmmett = ratio(
          ours.concurrentAppendsPerSec,
          peer.concurrentAppendsPerSec,
        );
        line.readAllRatioVsEmmett = ratio(ours.readAllEventsPerSec, peer.readAllEventsPerSec);
      }
      line.targets = {
        batchAppendRatioVsEmmett: { target: 1.5, met: Number(line.batchAppendRatioVsEmmett) >= 1.5 },
        readAllEventsPerSec: { target: 100_000, met: ours.readAllEventsPerSec >= 100_000 },
        foldEventsPerSec: { target: 1_000_000, met: foldEventsPerSec >= 1_000_000 },
      };
    } else {
      line.targets = { foldEventsPerSec: { target: 1_000_000, met: foldEventsPerSec >= 1_000_000 } };
    }
    lines.push(line);
  }
  return lines;
}
