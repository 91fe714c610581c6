import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, type RunningDemo, serveDemo } from "../../src/demo/app.js";
import type { TestPlan } from "../../src/domain/plan/model.js";
import { RunRuleError } from "../../src/domain/run/rules.js";
import type { TestEngine } from "../../src/engine/engine.js";
import { Leases } from "../../src/engine/queue/leases.js";
import { RunQueue } from "../../src/engine/queue/run-queue.js";
import { Worker } from "../../src/engine/queue/worker.js";
import { browsersAvailable } from "../support/browsers.js";
import { demoPlan, type Harness, harness } from "../support/engine.js";

/** The password comes from each replica's environment: whichever holds the run can type it. */
const env = { APP_PASSWORD: DEMO_PASSWORD };

function envPlan(url: string, planId: string): TestPlan {
  const plan = demoPlan(url, planId);
  const steps = plan.test_steps.map((s, i) =>
    i === 2 ? { ...s, params: { ...s.params, text: "${env:APP_PASSWORD}", secret: undefined } } : s,
  );
  return { ...plan, test_steps: steps as TestPlan["test_steps"] };
}

/** A replica: an engine with its own lease name on the shared store, and a worker claiming for it. */
function replica(h: Harness, name: string) {
  const leases = new Leases({ queue: new RunQueue(h.store.db), worker: name, ttlMs: 3000 });
  const engine = h.engine({ leases, env });
  const worker = new Worker({ engine, leases, slots: 1, pollMs: 100 });
  return { engine, leases, worker };
}

/** Resolves once the engine has finished the step at `index` of the run. */
const stepDone = (engine: TestEngine, runId: string, index: number) =>
  new Promise<void>((resolve) => {
    const off = engine.onProgress((e) => {
      if (e.runId === runId && e.kind === "step_finished" && e.index === index) {
        off();
        resolve();
      }
    });
  });

describe.runIf(browsersAvailable)("two replicas on one store, runs as leased work", () => {
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

  it("a stop sent to the replica that does not hold the run reaches the holder, which saves its state; a resume sent there while the holder runs is refused and records nothing", async () => {
    const a = replica(h, "replica-a");
    const b = replica(h, "replica-b");
    const runId = await b.engine.start({ plan: envPlan(demo.url, "replicas-stop") });
    await b.leases.queue.enqueue(runId);
    // Visible and waiting until a worker claims it.
    expect(await b.leases.queue.entry(runId)).toMatchObject({ status: "queued" });
    const second = stepDone(a.engine, runId, 1);
    a.worker.start();
    await second;
    const before = (await h.runEvents(runId)).length;
    const refused = await b.engine.resume(runId).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RunRuleError);
    expect((refused as Error).message).toMatch(/held by worker replica-a/);
    const stopped = await b.engine.stop(runId, { reason: "enough" });
    expect(stopped.status).toBe("stopped");
    expect(stopped.stop).toMatchObject({ reason: "enough", resumable: true });
    expect(stopped.stop?.snapshot_hash).toMatch(/^[0-9a-f]{64}$/);
    // Nothing b recorded: the resume was refused before the log, the stop was carried out by a.
    const events = await h.runEvents(runId);
    expect(events.slice(before).map((e) => e.type)).not.toContain("RunResumed");
    await a.worker.stop();
    await a.worker.idle();
    expect(await a.leases.queue.entry(runId)).toMatchObject({ status: "done" });
    // Now that nobody holds it, b resumes it from a's snapshot.
    const resumed = await b.engine.resume(runId);
    expect(resumed.status).toBe("passed");
  }, 180_000);

  it("a queued run is cancelled from any replica; a worker shutting down hands its run on to another, which passes it", async () => {
    const a = replica(h, "replica-c");
    const b = replica(h, "replica-d");
    const waiting = await a.engine.start({ plan: envPlan(demo.url, "replicas-cancel") });
    await a.leases.queue.enqueue(waiting);
    const cancelled = await b.engine.stop(waiting, { reason: "not needed" });
    expect(cancelled.status).toBe("stopped");
    expect(cancelled.stop?.resumable).toBe(false);
    expect(await a.leases.queue.entry(waiting)).toMatchObject({ status: "done" });

    const { engine: engineE, leases: leasesE, worker: workerE } = replica(h, "replica-e");
    const runId = await engineE.start({ plan: envPlan(demo.url, "replicas-handoff") });
    await leasesE.queue.enqueue(runId);
    const third = stepDone(engineE, runId, 2);
    workerE.start();
    await third;
    await workerE.handOff();
    const handed = await engineE.details(runId);
    expect(handed.status).toBe("running");
    expect(await leasesE.queue.entry(runId)).toMatchObject({ status: "queued" });
    const { engine: engineF, leases: leasesF } = replica(h, "replica-f");
    const finished = new Promise<string | undefined>((resolve) => {
      const workerF = new Worker({
        engine: engineF,
        leases: leasesF,
        slots: 1,
        pollMs: 100,
        ended: (details) => {
          void workerF.stop();
          resolve(details?.status);
        },
      }).start();
    });
    expect(await finished).toBe("passed");
    const types = (await h.runEvents(runId)).map((e) => e.type);
    expect(types.filter((t) => t === "RunStopped")).toHaveLength(1);
    expect(types.filter((t) => t === "RunResumed")).toHaveLength(1);
    const passes = (await h.runEvents(runId))
      .filter((e) => e.type === "StepPassed")
      .map((e) => (e.data as { index: number }).index);
    expect(new Set(passes).size).toBe(passes.length);
    expect(passes).toHaveLength(13);
  }, 180_000);
});
