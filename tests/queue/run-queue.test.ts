import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { SqlEventStore } from "../../src/adapters/eventstore/sql-event-store.js";
import { RunQueue } from "../../src/engine/queue/run-queue.js";
import { storeFixtures } from "../support/databases.js";

const fixtures = storeFixtures();

/** Makes the run's lease run out now, as if its worker had gone silent for a whole TTL. */
async function expire(store: SqlEventStore, runId: string) {
  await store.db.query(
    "UPDATE td_run_queue SET lease_until = now() - interval '1 second' WHERE run_id = $1",
    [runId],
  );
}

describe.each(fixtures)("the run queue on $name", (fixture) => {
  afterAll(() => fixture.cleanup());

  it("gives each waiting run to one worker, oldest first, and none twice even when workers race", async () => {
    const store = await fixture.open();
    try {
      const queue = new RunQueue(store.db);
      const runs: string[] = Array.from({ length: 12 }, () => randomUUID());
      for (const id of runs) expect(await queue.enqueue(id)).toBe(true);
      // A run already waiting is not queued twice.
      expect(await queue.enqueue(runs[0]!)).toBe(false);
      const workers = ["w1", "w2", "w3", "w4"];
      const claimed = await Promise.all(
        workers.map(async (w) => {
          const mine: string[] = [];
          for (;;) {
            const claim = await queue.claimNext(w, 60_000);
            if (!claim) return mine;
            expect(claim.previous_worker).toBeUndefined();
            mine.push(claim.run_id);
          }
        }),
      );
      const all = claimed.flat();
      expect(all).toHaveLength(runs.length);
      expect(new Set(all).size).toBe(runs.length);
      expect(new Set(all)).toEqual(new Set(runs));
      // Each worker took the runs in the order they were queued.
      for (const mine of claimed) {
        const order = mine.map((id) => runs.indexOf(id));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
      expect((await queue.pending(100)).every((e) => e.status === "claimed" && e.live)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("hands a run whose lease ran out to the next worker, and the old holder learns it lost the run", async () => {
    const store = await fixture.open();
    try {
      const queue = new RunQueue(store.db);
      const runId = randomUUID();
      await queue.enqueue(runId);
      expect((await queue.claimNext("a", 60_000))?.run_id).toBe(runId);
      expect(await queue.renew(runId, "a", 60_000)).toBeNull();
      // While the lease holds nobody else gets the run.
      expect(await queue.claimNext("b", 60_000)).toBeUndefined();
      expect(await queue.claimRun(runId, "b", 60_000)).toBeUndefined();
      await expire(store, runId);
      const entry = await queue.entry(runId);
      expect(entry).toMatchObject({ status: "claimed", worker: "a", live: false });
      const taken = await queue.claimNext("b", 60_000);
      expect(taken).toMatchObject({ run_id: runId, previous_worker: "a", claims: 2 });
      expect(taken?.lease_expired_at).toBe(entry?.lease_until);
      expect(await queue.renew(runId, "a", 60_000)).toBeUndefined();
      // The old holder's release changes nothing: the run is b's.
      await queue.release(runId, "a");
      expect(await queue.entry(runId)).toMatchObject({ status: "claimed", worker: "b", live: true });
      await queue.release(runId, "b");
      expect(await queue.entry(runId)).toMatchObject({ status: "done" });
      expect(await queue.pending()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("passes a stop to the holder once, through its next renewal, and cancels only a run nobody holds", async () => {
    const store = await fixture.open();
    try {
      const queue = new RunQueue(store.db);
      const held = randomUUID();
      const waiting = randomUUID();
      await queue.enqueue(held);
      await queue.claimRun(held, "a", 60_000);
      await queue.enqueue(waiting);
      const stop = { kind: "stop" as const, reason: "enough", save_state: true };
      expect(await queue.request(held, stop)).toBe("a");
      expect(await queue.request(waiting, stop)).toBeUndefined();
      expect(await queue.renew(held, "a", 60_000)).toEqual(stop);
      expect(await queue.renew(held, "a", 60_000)).toBeNull();
      expect(await queue.cancel(held)).toBe(false);
      expect(await queue.cancel(waiting)).toBe(true);
      expect(await queue.claimNext("b", 60_000)).toBeUndefined();
      // A run the queue has never seen is claimed where it is executed; one done is claimed again (resume).
      const local = randomUUID();
      expect((await queue.claimRun(local, "a", 60_000))?.claims).toBe(1);
      await queue.release(local, "a");
      expect((await queue.claimRun(local, "b", 60_000))?.claims).toBe(2);
    } finally {
      await store.close();
    }
  });
});
