import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { type ApiHarness, apiHarness } from "../support/api.js";
import { browsersAvailable } from "../support/browsers.js";

type Event = { type: string; streamVersion: number; data: { index?: number } };

describe.runIf(browsersAvailable)("time travel by step, and what a missing field says", () => {
  let api: ApiHarness;
  let demo: RunningDemo;
  let runId: string;
  let events: Event[];
  const get = (url: string) => api.app.inject({ method: "GET", url });

  beforeAll(async () => {
    api = await apiHarness("open");
    demo = await serveDemo(1);
    const started = await api.app.inject({
      method: "POST",
      url: "/api/runs",
      payload: { requirements: "Open /login\nExpect to see Sign in to Listly", url: demo.url, wait: true },
    });
    expect(started.json().status, started.body).toBe("passed");
    runId = started.json().run_id;
    events = (await get(`/api/runs/${runId}/events?limit=1000`)).json().events;
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await demo?.close();
  });

  it("stands where a step was last worked on: step=1 is the first step, done, with the page after it", async () => {
    const lastOfFirst = events.findLast((e) => e.data.index === 0)!;
    const firstOfSecond = events.find((e) => e.data.index === 1)!;
    expect(lastOfFirst.streamVersion).toBeLessThan(firstOfSecond.streamVersion);

    const first = await get(`/api/runs/${runId}/state?step=1`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      at: { step: 1 },
      version: lastOfFirst.streamVersion,
      status: "running",
      current_step: { index: 0, status: "passed" },
    });
    expect(first.json().snapshot.url).toMatch(/\/login$/);
    expect(first.json().state.steps[1].status).toBe("pending");

    // The same point asked for by version answers the same state.
    const byVersion = (await get(`/api/runs/${runId}/state?at=${lastOfFirst.streamVersion}`)).json();
    expect(byVersion.state).toEqual(first.json().state);

    const second = (await get(`/api/runs/${runId}/state?step=2`)).json();
    expect(second.current_step).toMatchObject({ index: 1, status: "passed" });
    expect(second.version).toBe(events.findLast((e) => e.data.index === 1)!.streamVersion);
  });

  it("refuses a step the run does not have, naming how many it has", async () => {
    const beyond = await get(`/api/runs/${runId}/state?step=9`);
    expect(beyond.statusCode).toBe(404);
    expect(beyond.json()).toMatchObject({
      error: "no_step",
      message: `run ${runId} has 2 steps; step 9 is not one of them`,
    });
    const zero = await get(`/api/runs/${runId}/state?step=0`);
    expect(zero.statusCode).toBe(400);
    expect(zero.json().message).toBe("query.step: must be a step number, 1 for the first step");
  });

  it("without at or step, says at is required and what to pass", async () => {
    const missing = await get(`/api/runs/${runId}/state`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toBe(
      "query.at: required — pass a stream version (at=12), an ISO 8601 time (at=2026-12-01T10:00:00Z) or a step number (step=3)",
    );
    const both = await get(`/api/runs/${runId}/state?at=3&step=1`);
    expect(both.json().message).toBe("query.step: give at or step, not both");
  });

  it("names any missing required field with what to pass, instead of 'received undefined'", async () => {
    const review = await api.app.inject({
      method: "POST",
      url: `/api/runs/${runId}/heals/${runId}/review`,
      payload: {},
    });
    expect(review.statusCode).toBe(400);
    expect(review.json().message).toBe("body.approved: required — true approves the heal, false rejects it");
    const replay = await api.app.inject({ method: "POST", url: `/api/runs/${runId}/replay`, payload: {} });
    expect(replay.json().message).toBe(
      "body.mode: required — refold: fold the events again and compare; reexecute: run the recorded steps again",
    );
    expect(replay.body).not.toMatch(/received undefined/);
  });
});
