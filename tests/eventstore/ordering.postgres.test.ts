import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import type { SqlEventStore } from "../../src/adapters/eventstore/sql-event-store.js";
import {
  dropSchema,
  postgresAvailable,
  TEST_DATABASE_URL,
  testRegistry,
  uniqueSchema,
} from "../support/databases.js";

const payload = (name: string) =>
  JSON.stringify([
    { id: randomUUID(), type: "ThingHappened", v: 2, data: { name, count: 1, tags: [] }, meta: {} },
  ]);

/** Resolves when `check` turns true; polls a database condition that has no event to await. */
async function until(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.runIf(postgresAvailable)("global order with a stalled writer (PostgreSQL)", () => {
  const schema = uniqueSchema();
  let store: SqlEventStore;
  let stalled: pg.Client;

  beforeAll(async () => {
    store = (
      await openEventStore({ kind: "postgres", connectionString: TEST_DATABASE_URL, schema }, testRegistry())
    ).store;
    stalled = new pg.Client({
      connectionString: TEST_DATABASE_URL,
      options: `-c search_path=${schema},public`,
    });
    await stalled.connect();
  });
  afterAll(async () => {
    await stalled.end();
    await store.close();
    await dropSchema(schema);
  });

  it("readers never pass a write that commits late, and a stream's versions stay in global order", async () => {
    const start = await store.headPosition();
    // Writer A opens a transaction, appends to "shared", and stalls before committing.
    await stalled.query("BEGIN");
    await stalled.query("SELECT * FROM td_append('shared-1', 'shared', 'any', NULL, $1::jsonb)", [
      payload("A"),
    ]);

    // Writer B appends to the same stream: it must wait for A's stream lock.
    const b = store.append("shared-1", [{ type: "ThingHappened", data: { name: "B", count: 1, tags: [] } }]);
    await until(async () => {
      const { rows } = await store.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
      );
      return rows[0]!.n > 0;
    }, "writer B to wait on the stream lock");

    // Writer C appends to another stream and commits before A.
    const c = await store.append("other-1", [
      { type: "ThingHappened", data: { name: "C", count: 1, tags: [] } },
    ]);

    // C is committed, but a reader must not see it yet: A, with a lower position, may still commit.
    expect((await store.readAll({ after: start })).events).toEqual([]);
    expect(await store.headPosition()).toBe(start);
    expect((await store.readStream("other-1")).map((e) => e.globalPosition)).toEqual(c.positions);

    await stalled.query("COMMIT");
    await b;

    const events = (await store.readAll({ after: start })).events;
    expect(events.map((e) => (e.data as { name: string }).name)).toEqual(["A", "C", "B"]);
    const shared = events.filter((e) => e.streamId === "shared-1");
    expect(shared.map((e) => e.streamVersion)).toEqual([1, 2]);
    expect(shared[0]!.globalPosition).toBeLessThan(shared[1]!.globalPosition);
  });

  it("an aborted transaction leaves a gap that readers step over", async () => {
    const start = await store.headPosition();
    await stalled.query("BEGIN");
    await stalled.query("SELECT * FROM td_append('gap-1', 'gap', 'any', NULL, $1::jsonb)", [payload("lost")]);
    const after = await store.append("gap-2", [
      { type: "ThingHappened", data: { name: "kept", count: 1, tags: [] } },
    ]);
    await stalled.query("ROLLBACK");
    const events = (await store.readAll({ after: start })).events;
    expect(events.map((e) => (e.data as { name: string }).name)).toEqual(["kept"]);
    expect(events[0]!.globalPosition).toBe(after.positions[0]);
    expect(after.positions[0]).toBeGreaterThan(start + 1);
  });

  it("a subscriber is woken by appends made through another connection pool, without polling", async () => {
    const config = { kind: "postgres" as const, connectionString: TEST_DATABASE_URL, schema };
    // A poll interval far beyond the test timeout: only the NOTIFY can deliver in time.
    const listener = (await openEventStore(config, testRegistry(), { pollIntervalMs: 3_600_000 })).store;
    const writer = (await openEventStore(config, testRegistry())).store;
    try {
      const start = await listener.headPosition();
      let caughtUp = 0;
      let listening!: () => void;
      const ready = new Promise<void>((r) => {
        listening = r;
      });
      let deliver!: (name: string) => void;
      const delivered = new Promise<string>((r) => {
        deliver = r;
      });
      const subscription = listener.subscribe({
        after: start,
        // The first catch-up reads the log; the second follows the listener's connect.
        onCaughtUp: () => {
          if (++caughtUp === 2) listening();
        },
        handler: (event) => deliver((event.data as { name: string }).name),
      });
      await ready;
      await writer.append("remote-1", [
        { type: "ThingHappened", data: { name: "from afar", count: 1, tags: [] } },
      ]);
      expect(await delivered).toBe("from afar");
      await subscription.stop();
    } finally {
      await Promise.all([listener.close(), writer.close()]);
    }
  });

  it("sessions end a write transaction left idle, so it cannot hold readers back for ever", async () => {
    const { rows } = await store.db.query<{ timeout: string }>(
      "SELECT current_setting('idle_in_transaction_session_timeout') AS timeout",
    );
    expect(rows[0]!.timeout).toBe("1min");
  });
});
