import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPidOf } from "../../src/adapters/browser/browser-process.js";
import type { WebdriverIOSession } from "../../src/adapters/browser/webdriverio-session.js";
import { DEMO_PASSWORD, type RunningDemo, serveDemo } from "../../src/demo/app.js";
import type { TestPlan } from "../../src/domain/plan/model.js";
import { Leases } from "../../src/engine/queue/leases.js";
import { RunQueue } from "../../src/engine/queue/run-queue.js";
import { Worker } from "../../src/engine/queue/worker.js";
import { browsersAvailable } from "../support/browsers.js";
import { demoPlan, type Harness, harness } from "../support/engine.js";

describe.runIf(browsersAvailable)("a run whose browser is killed under a worker", () => {
  let h: Harness;
  let demo: RunningDemo;
  beforeAll(async () => {
    h = await harness();
    demo = await serveDemo(1);
  });
  afterAll(async () => {
    await h?.close();
    await demo?.close();
  });

  it("goes back to the queue, resumed, and a worker finishes it: passed, no step passed twice", async () => {
    const plan = demoPlan(demo.url, "crash-requeue");
    const steps = plan.test_steps.map((s, i) =>
      i === 2 ? { ...s, params: { ...s.params, text: "${env:APP_PASSWORD}", secret: undefined } } : s,
    );
    const leases = new Leases({ queue: new RunQueue(h.store.db), worker: "crash-worker", ttlMs: 3000 });
    const engine = h.engine({ leases, env: { APP_PASSWORD: DEMO_PASSWORD } });
    const runId = await engine.start({
      plan: { ...plan, test_steps: steps as TestPlan["test_steps"] },
      driver: "webdriverio",
    });
    await leases.queue.enqueue(runId);
    let killed = false;
    engine.onProgress((e) => {
      // "Milk" is typed into the list's input, not yet added: kill the browser under the run, once.
      if (killed || e.runId !== runId || e.kind !== "step_finished" || e.index !== 6) return;
      killed = true;
      const session = engine.activeSession(runId) as WebdriverIOSession;
      process.kill(browserPidOf(session.profileDir!)!, "SIGKILL");
    });
    const ends: (string | undefined)[] = [];
    const passed = new Promise<void>((resolve) => {
      const worker = new Worker({
        engine,
        leases,
        slots: 1,
        pollMs: 100,
        ended: (details) => {
          ends.push(details?.status);
          if (details?.status === "passed" || ends.length > 3) {
            void worker.stop();
            resolve();
          }
        },
      }).start();
    });
    await passed;
    expect(killed).toBe(true);
    expect(ends.at(-1)).toBe("passed");
    const events = await h.runEvents(runId);
    const types = events.map((e) => e.type);
    expect(types).toContain("RunStopped");
    expect(types.filter((t) => t === "RunResumed")).toHaveLength(1);
    const stop = events.find((e) => e.type === "RunStopped")!.data as { resumable: boolean };
    expect(stop.resumable).toBe(true);
    const passes = events
      .filter((e) => e.type === "StepPassed")
      .map((e) => (e.data as { index: number }).index);
    expect(new Set(passes).size).toBe(passes.length);
    expect(passes).toHaveLength(13);
    expect(await leases.queue.entry(runId)).toMatchObject({ status: "done", claims: 2 });
  }, 180_000);
});
