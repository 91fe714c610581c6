import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqlEventStore } from "../../src/adapters/eventstore/sql-event-store.js";
import { applyToAnalytics, dailyAnalytics, type RelayedEvent } from "../../src/analytics/daily.js";
import type { EventSink, OutgoingMessage } from "../../src/relay/messages.js";
import { OutboxRelay } from "../../src/relay/relay.js";
import { allVisible, storeFixtures } from "../support/databases.js";

/** A sink that keeps what it was given; it can refuse the next `failures` batches, like a broker that is down. */
class RecordingSink implements EventSink {
  readonly messages: OutgoingMessage[] = [];
  failures = 0;
  attempts = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  async publish(batch: OutgoingMessage[]) {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error("broker not available");
    }
    this.messages.push(...batch);
    for (const w of this.waiters.filter((x) => this.messages.length >= x.count)) w.resolve();
  }

  /** Resolves once at least `count` messages have been acknowledged. */
  received(count: number) {
    return new Promise<void>((resolve) => {
      if (this.messages.length >= count) resolve();
      else this.waiters.push({ count, resolve });
    });
  }

  async close() {}
}

const fixtures = storeFixtures();
afterAll(() => Promise.all(fixtures.map((f) => f.cleanup())));

async function appendMany(store: SqlEventStore, streams: number, perStream: number) {
  for (let i = 0; i < perStream; i++) {
    for (let s = 0; s < streams; s++) {
      await store.append(
        `thing-${s}`,
        [
          {
            type: "ThingHappened",
            data: { name: `t${s}-${i}`, count: i, tags: [] },
            metadata: { correlationId: `c-${s}` },
          },
        ],
        { streamType: "thing" },
      );
    }
  }
  await allVisible(store);
}

describe.each(fixtures)("the outbox relay on $name", (fixture) => {
  let store: SqlEventStore;
  beforeEach(async () => {
    store = await fixture.open();
  });
  afterEach(async () => {
    await store.close();
  });

  it("publishes every event once, in log order, keyed by its stream, with the event's headers", async () => {
    await appendMany(store, 4, 30);
    const sink = new RecordingSink();
    const relay = new OutboxRelay(store, sink, { batchSize: 25 });
    expect(await relay.drain()).toBe(120);
    const positions = sink.messages.map((m) => m.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(120);
    for (let s = 0; s < 4; s++) {
      const names = sink.messages
        .filter((m) => m.key === `thing-${s}`)
        .map((m) => JSON.parse(m.value).data.name);
      expect(names).toEqual([...Array(30).keys()].map((i) => `t${s}-${i}`));
    }
    const first = sink.messages[0]!;
    expect(first.topic).toBe("testdriver.events");
    expect(first.headers).toMatchObject({
      event_type: "ThingHappened",
      schema_version: "2",
      stream_type: "thing",
      correlation_id: "c-0",
    });
    expect(first.headers.event_id).toBe(JSON.parse(first.value).eventId);
    expect(await relay.status()).toMatchObject({ lag: 0, published: 120, holdsLock: true });
    await relay.stop();
  });

  it("after a crash between the broker's acknowledgement and the checkpoint, publishes that batch again and skips nothing", async () => {
    await appendMany(store, 3, 20);
    const sink = new RecordingSink();
    let batches = 0;
    const crashing = new OutboxRelay(store, sink, {
      batchSize: 10,
      afterPublish: () => {
        if (++batches === 3) throw new Error("process killed");
      },
    });
    await expect(crashing.drain()).rejects.toThrow("process killed");
    await crashing.stop();
    expect(sink.messages).toHaveLength(30);

    const restarted = new OutboxRelay(store, sink, { batchSize: 10 });
    await restarted.drain();
    const positions = sink.messages.map((m) => m.position);
    // The third batch went out twice (at least once); every event went out; nothing after it was lost.
    expect(new Set(positions).size).toBe(60);
    expect(positions).toHaveLength(70);
    expect(positions.slice(20, 30)).toEqual(positions.slice(30, 40));
    expect((await restarted.status()).lag).toBe(0);
    await restarted.stop();
  });

  it("retries a failing broker with backoff while following the log live, and keeps the order", async () => {
    const sink = new RecordingSink();
    sink.failures = 3;
    const relay = new OutboxRelay(store, sink, {
      batchSize: 7,
      pollIntervalMs: 50,
      retry: { initialMs: 20, maxMs: 100 },
    });
    relay.start();
    await appendMany(store, 2, 15);
    await sink.received(30);
    await relay.stop();
    expect(sink.attempts).toBeGreaterThanOrEqual(4);
    const positions = sink.messages.map((m) => m.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(30);
  });

  it("lets only one relay of a name publish; another takes over from the checkpoint when it stops", async () => {
    await appendMany(store, 2, 10);
    const sinkA = new RecordingSink();
    const sinkB = new RecordingSink();
    const a = new OutboxRelay(store, sinkA, { batchSize: 5 });
    const b = new OutboxRelay(store, sinkB, { batchSize: 5 });
    expect(await a.publishBatch()).toBe(5);
    expect(await b.publishBatch()).toBe(0);
    expect((await b.status()).holdsLock).toBe(false);
    expect(await a.publishBatch()).toBe(5);
    await a.stop();
    expect(await b.drain()).toBe(10);
    expect([...sinkA.messages, ...sinkB.messages].map((m) => m.position)).toEqual(
      [...sinkA.messages, ...sinkB.messages].map((m) => m.position).sort((x, y) => x - y),
    );
    await b.stop();
  });

  it("can publish each stream type to its own topic", async () => {
    await appendMany(store, 1, 3);
    await store.append("counted-1", [{ type: "Counted", data: { writer: 1, n: 1 } }], {
      streamType: "counted",
    });
    await allVisible(store);
    const sink = new RecordingSink();
    const relay = new OutboxRelay(store, sink, { topic: "td", topicPerStreamType: true });
    await relay.drain();
    expect(sink.messages.map((m) => m.topic)).toEqual(["td.thing", "td.thing", "td.thing", "td.counted"]);
    await relay.stop();
  });

  it("feeds the analytics consumer, which counts a redelivered event once", async () => {
    const at = "2026-11-20T10:00:00.000Z";
    const events: RelayedEvent[] = [
      {
        eventId: "00000000-0000-4000-8000-000000000001",
        type: "RunCompleted",
        recordedAt: at,
        data: { status: "passed" },
      },
      {
        eventId: "00000000-0000-4000-8000-000000000002",
        type: "RunCompleted",
        recordedAt: at,
        data: { status: "failed" },
      },
      { eventId: "00000000-0000-4000-8000-000000000003", type: "LocatorHealed", recordedAt: at, data: {} },
      {
        eventId: "00000000-0000-4000-8000-000000000004",
        type: "HealingVerified",
        recordedAt: at,
        data: { successful: true },
      },
      {
        eventId: "00000000-0000-4000-8000-000000000005",
        type: "RunCompleted",
        recordedAt: "2026-11-21T09:00:00.000Z",
        data: { status: "passed" },
      },
      { eventId: "00000000-0000-4000-8000-000000000006", type: "StepStarted", recordedAt: at, data: {} },
    ];
    // Through the relay's own message format, delivered twice.
    const values = events.map((e) => JSON.stringify(e));
    for (const round of [1, 2]) {
      for (const v of values) {
        const applied = await applyToAnalytics(store.db, JSON.parse(v));
        if (round === 2) expect(applied).toBe(false);
      }
    }
    expect(await dailyAnalytics(store.db)).toEqual([
      {
        day: "2026-11-20",
        runs_finished: 2,
        runs_passed: 1,
        runs_failed: 1,
        heals: 1,
        heals_held: 1,
        pass_rate: 0.5,
      },
      {
        day: "2026-11-21",
        runs_finished: 1,
        runs_passed: 1,
        runs_failed: 0,
        heals: 0,
        heals_held: 0,
        pass_rate: 1,
      },
    ]);
  });
});
