import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import { RunCommands } from "../../src/commands/run-commands.js";
import { createEventRegistry } from "../../src/domain/catalog.js";
import { validatePlan } from "../../src/domain/plan/parse.js";
import { runStateAt } from "../../src/projections/time-travel.js";

describe("time travel", () => {
  it("rebuilds a run as it stood at several versions and moments", async () => {
    const { store } = await openEventStore({ kind: "pglite" }, createEventRegistry());
    try {
      const commands = new RunCommands(store);
      const plan = validatePlan({
        name: "T",
        application_url: "http://127.0.0.1:1",
        test_steps: [
          { action: "navigate", params: { url: "/" } },
          { action: "assert", params: { text: "Hi" } },
        ],
      });
      const runId = randomUUID();
      await commands.run(runId, {
        type: "RequestRun",
        run_id: runId,
        application_url: plan.application_url,
        driver: "playwright",
        source: "plan",
        plan,
        planner: "file",
      });
      await commands.run(runId, { type: "StartRun", driver: "playwright" });
      await commands.run(runId, { type: "StartStep", index: 0 });
      const snapshot = "c".repeat(64);
      await commands.run(runId, {
        type: "FinishStep",
        index: 0,
        observations: [
          {
            type: "SnapshotCaptured",
            data: {
              index: 0,
              snapshot_hash: snapshot,
              url: "http://127.0.0.1:1/",
              title: "Home",
              dom_hash: "d".repeat(64),
            },
          },
        ],
        outcome: { passed: true, duration_ms: 3 },
      });
      const midway = new Date();
      await new Promise((r) => setTimeout(r, 20));
      await commands.run(runId, { type: "StartStep", index: 1 });
      await commands.run(runId, {
        type: "FinishStep",
        index: 1,
        observations: [],
        outcome: { passed: true, duration_ms: 2 },
      });
      await commands.run(runId, { type: "CompleteRun", duration_ms: 9 });

      expect(await runStateAt(store, runId, { version: 2 })).toMatchObject({ status: "pending", version: 2 });
      const running = await runStateAt(store, runId, { version: 4 });
      expect(running).toMatchObject({ status: "running", current_index: 0 });
      expect(running.steps[0]!.status).toBe("running");
      const afterFirst = await runStateAt(store, runId, { time: midway });
      expect(afterFirst.steps.map((s) => s.status)).toEqual(["passed", "pending"]);
      expect(afterFirst.snapshots.at(-1)).toMatchObject({ snapshot_hash: snapshot, title: "Home" });
      expect(await runStateAt(store, runId, { version: 100 })).toMatchObject({ status: "passed" });
      expect(await runStateAt(store, runId, { time: new Date(0) })).toMatchObject({ status: "none" });
    } finally {
      await store.close();
    }
  });
});
