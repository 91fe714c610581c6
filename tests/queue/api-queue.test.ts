import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKeys } from "../../src/adapters/sql/api-keys.js";
import { Leases } from "../../src/engine/queue/leases.js";
import { RunQueue } from "../../src/engine/queue/run-queue.js";
import { buildServer } from "../../src/http/server.js";
import { READ_MODELS } from "../../src/projections/read-models.js";
import { ProjectionRunner } from "../../src/projections/runner.js";
import { demoPlan, type Harness, harness } from "../support/engine.js";

type App = Awaited<ReturnType<typeof buildServer>>;

/** An API server without a worker (`serve --no-worker`): runs wait in the queue, visible and cancellable. */
describe("the HTTP API of a server without a worker", () => {
  let h: Harness;
  let app: App;
  let runner: ProjectionRunner;
  beforeAll(async () => {
    h = await harness();
    runner = new ProjectionRunner(h.store, READ_MODELS);
    const leases = new Leases({ queue: new RunQueue(h.store.db), worker: "api-only", executes: false });
    const engine = h.engine({ leases });
    app = await buildServer({
      store: h.store,
      engine,
      pool: h.pool,
      blobs: h.blobs,
      runner,
      keys: new ApiKeys(h.store.db),
      auth: "open",
      defaultDriver: "playwright",
      version: "test",
    });
  });
  afterAll(async () => {
    await app?.close();
    await runner?.stop();
    await h?.close();
  });

  it("queues a started run, shows it queued in the lists, and takes it out of the queue on stop", async () => {
    const plan = { ...demoPlan("http://127.0.0.1:9/", "api-queue"), teardown_steps: [] };
    // No secret literal: the run can wait for any worker.
    const steps = plan.test_steps.filter((s) => !(s.action === "type" && s.params.secret));
    const started = await app.inject({
      method: "POST",
      url: "/api/runs",
      payload: { plan: { ...plan, test_steps: steps } },
    });
    expect(started.statusCode).toBe(202);
    const runId = started.json().run_id as string;
    expect(started.json().status).toBe("queued");

    const one = (await app.inject({ url: `/api/runs/${runId}` })).json();
    expect(one.status).toBe("queued");
    expect(one.queue).toMatchObject({ status: "queued", worker: null, live: false, claims: 0 });
    const queued = (await app.inject({ url: "/api/runs?status=queued" })).json();
    expect(queued.runs.map((r: { run_id: string }) => r.run_id)).toEqual([runId]);
    expect(queued.runs[0].status).toBe("queued");
    const queue = (await app.inject({ url: "/api/queue" })).json();
    expect(queue).toMatchObject({ depth: 1, queued: 1, runs: [{ run_id: runId, status: "queued" }] });

    // A resume of a run that never started is refused, and nothing changes.
    const resume = await app.inject({ method: "POST", url: `/api/runs/${runId}/resume`, payload: {} });
    expect(resume.statusCode).toBe(409);

    const stopped = await app.inject({
      method: "POST",
      url: `/api/runs/${runId}/stop`,
      payload: { wait: true, reason: "not needed" },
    });
    expect(stopped.statusCode).toBe(200);
    expect(stopped.json()).toMatchObject({ status: "stopped" });
    expect((await app.inject({ url: "/api/queue" })).json()).toMatchObject({ depth: 0 });
    const after = (await app.inject({ url: `/api/runs/${runId}` })).json();
    expect(after).toMatchObject({ status: "stopped", queue: null });
    expect((await app.inject({ url: "/api/runs?status=queued" })).json().runs).toEqual([]);
  });
});
