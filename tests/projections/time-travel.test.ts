import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import { RunCommands } from "../../src/commands/run-commands.js";
import { createEventRegistry } from "../../src/domain/catalog.js";
import { validatePlan } from "../../src/domain/plan/parse.js";
import { readRunDetails } from "../../src/projections/run-report/queries.js";

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
        at: new Date().toISOString(),
        run_id: runId,
        application_url: plan.application_url,
        driver: "playwright",
        source: "plan",
        plan,
        planner: "file",
      });
      await commands.run(runId, {
        type: "StartRun",
        at: new Date().toISOString(),
        driver: "playwright",
      });
      await commands.run(runId, {
        type: "StartStep",
        at: new Date().toISOString(),
        index: 0,
      });
      const snapshot = "c".repeat(64);
      await commands.run(runId, {
        type: "FinishStep",
        at: new Date().toISOString(),
        index: 0,
        observations: [
          {
            type: "SnapshotCaptured",
            data: {
              at: new Date().toISOString(),
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
      await commands.run(runId, {
        type: "StartStep",
        at: new Date().toISOString(),
        index: 1,
      });
      await commands.run(runId, {
        type: "FinishStep",
        at: new Date().toISOString(),
        index: 1,
        observations: [],
        outcome: { passed: true, duration_ms: 2 },
      });
      await commands.run(runId, {
        type: "CompleteRun",
        at: new Date().toISOString(),
        duration_ms: 9,
      });

      expect(await readRunDetails(store, runId, { version: 2 })).toMatchObject({
        status: "pending",
        version: 2,
      });
      const running = await readRunDetails(store, runId, { version: 4 });
      expect(running).toMatchObject({ status: "running", current_index: 0 });
      expect(running.steps[0]!.status).toBe("running");
      const afterFirst = await readRunDetails(store, runId, { time: midway });
      expect(afterFirst.steps.map((s) => s.status)).toEqual(["passed", "pending"]);
      expect(afterFirst.snapshots.at(-1)).toMatchObject({ snapshot_hash: snapshot, title: "Home" });
      expect(await readRunDetails(store, runId, { version: 100 })).toMatchObject({ status: "passed" });
      expect(await readRunDetails(store, runId, { time: new Date(0) })).toMatchObject({ status: "none" });
    } finally {
      await store.close();
    }
  });
});
