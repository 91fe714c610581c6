import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqlEventStore } from "../../src/adapters/eventstore/sql-event-store.js";
import type { RecordedEvent } from "../../src/domain/events/envelope.js";
import { EventValidationError } from "../../src/domain/events/registry.js";
import { ConcurrencyError, IdempotencyConflictError } from "../../src/domain/events/store.js";
import { allVisible, storeFixtures } from "../support/databases.js";
import { ESDB_URL, openEsdb } from "../support/esdb.js";

const thing = (name: string, count = 1, eventId?: string) => ({
  type: "ThingHappened",
  data: { name, count, tags: ["a"] },
  ...(eventId ? { eventId } : {}),
});

/** Resolves once `count` events have been delivered to the returned handler. */
function collector(count: number) {
  const events: RecordedEvent[] = [];
  let resolve!: () => void;
  const complete = new Promise<void>((r) => {
    resolve = r;
  });
  return {
    events,
    complete,
    handler: (event: RecordedEvent) => {
      events.push(event);
      if (events.length === count) resolve();
    },
  };
}

// EventStoreDB joins when ESDB_URL is set; the cases that need SQL (transactions, triggers, content checks
// on reused ids) run on the SQL stores only, as the README's list of differences says.
const fixtures = [
  ...storeFixtures().map((f) => ({ ...f, sql: true })),
  ...(ESDB_URL ? [{ name: "esdb", sql: false, open: openEsdb, cleanup: async () => {} }] : []),
];

describe.each(fixtures)("event store contract: $name", (fixture) => {
  // The SQL-only cases use the SQL store's extras; an EventStoreDB store never reaches them.
  let store: SqlEventStore;
  const sqlOnly = it.runIf(fixture.sql);

  beforeEach(async () => {
    store = (await fixture.open()) as SqlEventStore;
  });
  afterEach(async () => {
    await store.close();
  });
  afterAll(() => fixture.cleanup());

  describe("envelope", () => {
    it("records id, stream, type, versions, position, data, metadata and time", async () => {
      const before = Date.now();
      const eventId = randomUUID();
      const metadata = { correlationId: "c-1", causationId: "k-1", actor: "alice", tenant: "acme" };
      await store.append("run-1", [{ ...thing("x"), eventId, metadata }], { expectedVersion: "no_stream" });
      const [event] = await store.readStream("run-1");
      expect(event).toMatchObject({
        eventId,
        streamId: "run-1",
        streamType: "run",
        streamVersion: 1,
        type: "ThingHappened",
        schemaVersion: 2,
        data: { name: "x", count: 1, tags: ["a"] },
        metadata,
      });
      expect(event!.globalPosition).toBeGreaterThan(0);
      expect(event!.recordedAt).toBeInstanceOf(Date);
      expect(event!.recordedAt.getTime()).toBeGreaterThanOrEqual(before - 5000);
    });

    it("takes the stream type from the option when given", async () => {
      await store.append("abc", [thing("x")], { streamType: "baseline" });
      expect((await store.readStream("abc"))[0]!.streamType).toBe("baseline");
    });
  });

  describe("optimistic concurrency", () => {
    it("no_stream succeeds on a new stream and fails on an existing one, writing nothing", async () => {
      await store.append("s-1", [thing("a")], { expectedVersion: "no_stream" });
      const attempt = store.append("s-1", [thing("b")], { expectedVersion: "no_stream" });
      await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(attempt).rejects.toMatchObject({ streamId: "s-1", expected: "no_stream", actual: 1 });
      expect(await store.readStream("s-1")).toHaveLength(1);
    });

    it("an exact version must match the stream's current version", async () => {
      const first = await store.append("s-2", [thing("a"), thing("b")], { expectedVersion: 0 });
      expect(first.streamVersion).toBe(2);
      await expect(store.append("s-2", [thing("c")], { expectedVersion: 1 })).rejects.toMatchObject({
        name: "ConcurrencyError",
        actual: 2,
      });
      const next = await store.append("s-2", [thing("c")], { expectedVersion: 2 });
      expect(next.streamVersion).toBe(3);
      expect((await store.readStream("s-2")).map((e) => (e.data as { name: string }).name)).toEqual([
        "a",
        "b",
        "c",
      ]);
    });

    it("any appends whatever the version", async () => {
      await store.append("s-3", [thing("a")], { expectedVersion: "any" });
      await store.append("s-3", [thing("b")]);
      expect(await store.streamVersion("s-3")).toBe(2);
    });

    it("a conflict leaves the global log unchanged", async () => {
      await store.append("s-4", [thing("a")]);
      const head = await store.headPosition();
      await expect(
        store.append("s-4", [thing("b"), thing("c")], { expectedVersion: 5 }),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await store.headPosition()).toBe(head);
      expect((await store.readAll({ after: head })).events).toEqual([]);
    });

    it("rejects a malformed expected version", async () => {
      await expect(store.append("s-5", [thing("a")], { expectedVersion: -2 })).rejects.toThrow(
        /expectedVersion/,
      );
    });
  });

  describe("idempotent append", () => {
    sqlOnly("appending stored ids again is a no-op that returns the stored positions", async () => {
      const batch = [thing("a", 1, randomUUID()), thing("b", 2, randomUUID())];
      const first = await store.append("i-1", batch, { expectedVersion: "no_stream" });
      const again = await store.append("i-1", batch, { expectedVersion: "no_stream" });
      expect(again).toEqual({ ...first, duplicate: true });
      expect(first.duplicate).toBe(false);
      expect(await store.readStream("i-1")).toHaveLength(2);
    });

    sqlOnly("a reused id with different content is an error", async () => {
      const id = randomUUID();
      await store.append("i-2", [thing("a", 1, id)]);
      await expect(store.append("i-2", [thing("a", 2, id)])).rejects.toBeInstanceOf(IdempotencyConflictError);
      await expect(store.append("i-3", [thing("a", 1, id)])).rejects.toBeInstanceOf(IdempotencyConflictError);
      expect(await store.streamVersion("i-2")).toBe(1);
      expect(await store.streamVersion("i-3")).toBe(0);
    });

    sqlOnly("a batch that is only partly stored is an error and writes nothing", async () => {
      const a = randomUUID();
      await store.append("i-4", [thing("a", 1, a)]);
      await expect(
        store.append("i-4", [thing("a", 1, a), thing("b", 1, randomUUID())]),
      ).rejects.toBeInstanceOf(IdempotencyConflictError);
      expect(await store.streamVersion("i-4")).toBe(1);
    });

    it("the same id twice in one batch is rejected before anything is written", async () => {
      const id = randomUUID();
      await expect(store.append("i-5", [thing("a", 1, id), thing("b", 1, id)])).rejects.toThrow(/repeated/);
    });
  });

  describe("reading a stream", () => {
    beforeEach(async () => {
      for (let i = 1; i <= 5; i++) await store.append("r-1", [thing(`e${i}`, i)]);
    });
    const names = (events: RecordedEvent[]) => events.map((e) => (e.data as { name: string }).name);

    it("forwards and backwards", async () => {
      expect(names(await store.readStream("r-1"))).toEqual(["e1", "e2", "e3", "e4", "e5"]);
      expect(names(await store.readStream("r-1", { direction: "backwards" }))).toEqual([
        "e5",
        "e4",
        "e3",
        "e2",
        "e1",
      ]);
    });

    it("from a version, up to a version, with a limit", async () => {
      expect(names(await store.readStream("r-1", { fromVersion: 3 }))).toEqual(["e3", "e4", "e5"]);
      expect(names(await store.readStream("r-1", { toVersion: 2 }))).toEqual(["e1", "e2"]);
      expect(names(await store.readStream("r-1", { fromVersion: 2, toVersion: 4, limit: 2 }))).toEqual([
        "e2",
        "e3",
      ]);
      expect(
        names(await store.readStream("r-1", { direction: "backwards", toVersion: 3, limit: 1 })),
      ).toEqual(["e3"]);
    });

    it("up to a point in time", async () => {
      const all = await store.readStream("r-1");
      const third = all[2]!.recordedAt;
      const upTo = await store.readStream("r-1", { toTime: third });
      expect(upTo.every((e) => e.recordedAt.getTime() <= third.getTime())).toBe(true);
      expect(names(upTo)).toContain("e3");
      expect(await store.readStream("r-1", { toTime: new Date(0) })).toEqual([]);
    });

    it("an unknown stream is empty at version 0", async () => {
      expect(await store.readStream("nope")).toEqual([]);
      expect(await store.streamVersion("nope")).toBe(0);
    });
  });

  describe("reading the whole log", () => {
    it("returns events in global order, in pages", async () => {
      for (let i = 0; i < 25; i++) await store.append(`g-${i % 3}`, [thing(`e${i}`, i)]);
      if (fixture.sql) await allVisible(store);
      const seen: RecordedEvent[] = [];
      let after = 0;
      for (;;) {
        const page = await store.readAll({ after, limit: 7 });
        if (page.events.length === 0) break;
        expect(page.events.length).toBeLessThanOrEqual(7);
        seen.push(...page.events);
        after = page.nextAfter;
      }
      expect(seen.map((e) => (e.data as { count: number }).count)).toEqual([...Array(25).keys()]);
      const positions = seen.map((e) => e.globalPosition);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(await store.headPosition()).toBe(positions.at(-1));
      expect((await store.readAll({ after })).nextAfter).toBe(after);
    });
  });

  describe("subscriptions", () => {
    it("catch up from a checkpoint, then receive new events live, in order", async () => {
      const first = await store.append("sub-1", [thing("a"), thing("b"), thing("c")]);
      const received = collector(4);
      const subscription = store.subscribe({ after: first.positions[0], handler: received.handler });
      await store.append("sub-2", [thing("d")]);
      await store.append("sub-1", [thing("e")]);
      await received.complete;
      await subscription.stop();
      expect(received.events.map((e) => (e.data as { name: string }).name)).toEqual(["b", "c", "d", "e"]);
    });

    it("a handler that throws ends the subscription with its error", async () => {
      await store.append("sub-3", [thing("a")]);
      const subscription = store.subscribe({
        handler: () => {
          throw new Error("projection broke");
        },
      });
      await expect(subscription.done).rejects.toThrow("projection broke");
    });

    it("8 concurrent writers of 1,000 events each: a live subscriber sees every event once, in order", async () => {
      const writers = 8;
      const perWriter = 1000;
      const received = collector(writers * perWriter);
      const subscription = store.subscribe({ handler: received.handler, batchSize: 700 });
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let n = 0; n < perWriter; n += 10) {
            const batch = Array.from({ length: 10 }, (_, k) => ({
              type: "Counted",
              data: { writer, n: n + k },
            }));
            // Writers share two streams, so stream locks and version conflicts are exercised too.
            await store.append(`count-${writer % 2}`, batch);
          }
        }),
      );
      await received.complete;
      await subscription.stop();

      const positions = received.events.map((e) => e.globalPosition);
      expect(new Set(received.events.map((e) => e.eventId)).size).toBe(writers * perWriter);
      for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]!);
      for (const stream of ["count-0", "count-1"]) {
        const versions = received.events.filter((e) => e.streamId === stream).map((e) => e.streamVersion);
        expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
      }
      for (let writer = 0; writer < writers; writer++) {
        const ns = received.events
          .filter((e) => (e.data as { writer: number }).writer === writer)
          .map((e) => (e.data as { n: number }).n);
        expect(ns).toEqual([...Array(perWriter).keys()]);
      }
    });
  });

  describe("immutability", () => {
    sqlOnly("the database itself rejects UPDATE, DELETE and TRUNCATE on the log", async () => {
      await store.append("imm-1", [thing("a")]);
      await expect(store.db.exec("UPDATE td_events SET type = 'X'")).rejects.toThrow(/append-only/);
      await expect(store.db.exec("DELETE FROM td_events")).rejects.toThrow(/append-only/);
      await expect(store.db.exec("TRUNCATE td_events")).rejects.toThrow(/append-only/);
      expect(await store.readStream("imm-1")).toHaveLength(1);
    });
  });

  describe("schemas", () => {
    it("rejects data that does not match its schema, naming the bad field, and writes nothing", async () => {
      const head = await store.headPosition();
      const bad = store.append("sch-1", [
        thing("ok"),
        { type: "ThingHappened", data: { name: "", count: -1, tags: [] } },
      ]);
      await expect(bad).rejects.toBeInstanceOf(EventValidationError);
      await expect(bad).rejects.toThrow(/event #1.*data\.name.*data\.count/);
      expect(await store.headPosition()).toBe(head);
    });

    it("rejects an unknown event type", async () => {
      await expect(store.append("sch-2", [{ type: "Nope", data: {} }])).rejects.toThrow(/unknown event type/);
    });

    sqlOnly("upcasts events stored under an old schema version when reading", async () => {
      // A version-1 event as an older TestDriver wrote it, straight through the append function.
      await store.db.query("SELECT * FROM td_append($1, $2, 'any', NULL, $3::jsonb)", [
        "old-1",
        "old",
        JSON.stringify([
          { id: randomUUID(), type: "ThingHappened", v: 1, data: { name: "legacy", count: 3 }, meta: {} },
        ]),
      ]);
      const [event] = await store.readStream("old-1");
      expect(event).toMatchObject({ schemaVersion: 2, data: { name: "legacy", count: 3, tags: [] } });
      const fromLog = (await store.readAll()).events.find((e) => e.streamId === "old-1");
      expect(fromLog?.data).toEqual({ name: "legacy", count: 3, tags: [] });
    });
  });

  describe("transactions", () => {
    sqlOnly("an append must be the first write of its transaction", async () => {
      await expect(
        store.db.transaction(async (tx) => {
          await tx.query("INSERT INTO td_checkpoints (name, position) VALUES ('x', 1)");
          await store.appendWith(tx, "tx-1", [thing("a")]);
        }),
      ).rejects.toThrow(/first write of its transaction/);
      expect(await store.streamVersion("tx-1")).toBe(0);
    });

    sqlOnly("an append and read-model writes commit or roll back together", async () => {
      await expect(
        store.db.transaction(async (tx) => {
          await store.appendWith(tx, "tx-2", [thing("a")]);
          await tx.query("INSERT INTO td_checkpoints (name, position) VALUES ('y', 1)");
          throw new Error("projection failed");
        }),
      ).rejects.toThrow("projection failed");
      expect(await store.streamVersion("tx-2")).toBe(0);
      await store.db.transaction(async (tx) => {
        await store.appendWith(tx, "tx-2", [thing("a")]);
        await tx.query("INSERT INTO td_checkpoints (name, position) VALUES ('y', 1)");
      });
      expect(await store.streamVersion("tx-2")).toBe(1);
    });
  });
});
