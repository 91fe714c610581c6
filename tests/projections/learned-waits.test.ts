import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import type { SqlEventStore } from "../../src/adapters/eventstore/sql-event-store.js";
import { createEventRegistry } from "../../src/domain/catalog.js";
import { validatePlan } from "../../src/domain/plan/parse.js";
import { WaitLearner } from "../../src/domain/waits.js";
import {
  LEARNED_WAIT_WINDOW,
  learnedWaitObservations,
  learnedWaitsProjection,
} from "../../src/projections/learned-waits.js";
import { ProjectionRunner } from "../../src/projections/runner.js";
import { browsersAvailable } from "../support/browsers.js";
import { harness } from "../support/engine.js";
import { startFixtureServer } from "../support/fixture-server.js";

const KEY = "127.0.0.1:4400/login::locate";
const observed = (n: number, duration_ms: number, success = true) => ({
  type: "WaitObserved",
  data: { index: n, key: KEY, wait: "locate", duration_ms, success, at: new Date().toISOString() },
});

describe("learned waits as a read model", () => {
  let store: SqlEventStore;
  beforeAll(async () => {
    store = (await openEventStore({ kind: "pglite" }, createEventRegistry())).store;
  });
  afterAll(() => store.close());

  it("keeps each key's latest successful durations (the learner's window) and counts its failures", async () => {
    const events = Array.from({ length: 25 }, (_, i) => observed(i, 100 + i));
    events.splice(5, 0, observed(99, 5000, false), observed(98, 5000, false));
    await store.append("run-00000000-0000-4000-8000-000000000001", events);
    await new ProjectionRunner(store, [learnedWaitsProjection]).catchUp();

    const observations = await learnedWaitObservations(store.db);
    const kept = observations.filter((o) => o.success).map((o) => o.durationMs);
    expect(kept).toEqual(Array.from({ length: LEARNED_WAIT_WINDOW }, (_, i) => 105 + i));
    expect(observations.filter((o) => !o.success)).toHaveLength(2);

    // A learner seeded from it knows what one that saw the waits itself would know.
    const seeded = new WaitLearner();
    for (const o of observations) seeded.observe(o);
    const live = new WaitLearner();
    for (const e of events)
      live.observe({ key: KEY, durationMs: e.data.duration_ms, success: e.data.success });
    expect(seeded.learned(KEY)).toEqual(live.learned(KEY));
    expect(seeded.learned(KEY)).toMatchObject({ samples: 20, failures: 2, p95Ms: 123 });
  });
});

describe.runIf(browsersAvailable)("an engine in a new process", () => {
  it("starts from the waits earlier runs recorded", async () => {
    const server = await startFixtureServer();
    const h = await harness();
    try {
      const plan = validatePlan({
        name: "Open the form",
        application_url: server.origin,
        test_steps: [
          { action: "navigate", params: { url: "/form.html" } },
          { action: "click", params: { target: "Sign up button" } },
        ],
      });
      const first = h.engine();
      await first.run({ plan });
      const learnedFirst = Object.entries(first.waits.toJSON())
        .filter(([, seen]) => seen.durations.length > 0)
        .map(([key]) => key);
      expect(learnedFirst.length).toBeGreaterThan(0);

      await new ProjectionRunner(h.store, [learnedWaitsProjection]).catchUp();
      const second = h.engine({ learnedWaits: () => learnedWaitObservations(h.store.db) });
      expect(second.waits.toJSON()).toEqual({});
      await second.run({ plan: { ...plan, test_steps: plan.test_steps.slice(0, 1) } });
      // Seeded before its first step: it knows the click's page from the first engine's run.
      for (const key of learnedFirst) expect(second.waits.learned(key)).toBeDefined();
    } finally {
      await h.close();
      await server.close();
    }
  });
});
