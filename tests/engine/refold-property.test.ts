import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessibilityVisionAdapter } from "../../src/adapters/vision/accessibility-adapter.js";
import { LocalVision } from "../../src/adapters/vision/local-vision.js";
import { type RunningDemo, serveDemo } from "../../src/demo/app.js";
import type { TestPlan, TestStep } from "../../src/domain/plan/model.js";
import { validateStep } from "../../src/domain/plan/parse.js";
import { type RunEvent, runStreamId } from "../../src/domain/run/events.js";
import { foldRun } from "../../src/domain/run/state.js";
import { DriftService } from "../../src/engine/drift/service.js";
import type { TestEngine } from "../../src/engine/engine.js";
import { READ_MODELS } from "../../src/projections/read-models.js";
import { foldRecordedDetails } from "../../src/projections/run-report/details.js";
import { storedRunDetails } from "../../src/projections/run-report/queries.js";
import { ProjectionRunner } from "../../src/projections/runner.js";
import { listBaselines, visualBaselinesProjection } from "../../src/projections/visual-baselines.js";
import { browsersAvailable } from "../support/browsers.js";
import { demoPlan, type Harness, harness } from "../support/engine.js";

/** A small seeded generator (mulberry32): the same seed makes the same runs. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    below: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
  };
}

const SEED = Number(process.env.TEST_SEED ?? Date.now() % 100_000);
const PASSWORD = "correct horse battery";

type Random = ReturnType<typeof random>;
type Kind = "plan" | "healing" | "stop_resume" | "interactive" | "drift";

/** The demo plan with some of its checks made soft and failing, a missing element now and then. */
function mutated(plan: TestPlan, r: Random): TestPlan {
  const steps = plan.test_steps.map((s): TestStep => {
    if (s.action === "assert" && r.chance(0.2))
      return { ...s, critical: false, timeout: 1, params: { text: "Nothing like this is on the page" } };
    return s;
  });
  if (r.chance(0.3))
    steps.splice(
      4,
      0,
      validateStep(
        {
          action: "click",
          params: { target: { css: "#no-such-button" } },
          critical: false,
          timeout: 1,
          max_retries: 1,
        },
        new Set(steps.map((s) => s.step_id)),
      ),
    );
  return { ...plan, test_steps: steps };
}

describe.runIf(browsersAvailable)("refolding the log (property, seed from TEST_SEED)", () => {
  let h: Harness;
  let v1: RunningDemo;
  let v2: RunningDemo;
  let drift: DriftService;
  const local = new LocalVision();
  /** Which engine touched each run last: its command handler holds that run's cached state. */
  const lastEngine = new Map<string, TestEngine>();

  beforeAll(async () => {
    h = await harness();
    [v1, v2] = await Promise.all([serveDemo(1), serveDemo(2)]);
    const vision = new AccessibilityVisionAdapter(local);
    await vision.initialize();
    drift = new DriftService({ store: h.store, blobs: h.blobs, pool: h.pool, vision });
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([v1?.close(), v2?.close(), local.close()]);
  });

  async function one(kind: Kind, r: Random, n: number): Promise<string> {
    const engine = h.engine({ drift, stepTimeoutMs: 5_000 });
    const planId = `property-${SEED}`;
    const secrets = { "type-password-field": PASSWORD };
    if (kind === "plan" || kind === "drift") {
      const plan = mutated(demoPlan(r.chance(0.7) ? v1.url : v2.url, planId), r);
      const baselines = kind === "drift" ? { check: "1" } : undefined;
      const run = await engine.run({ plan, secrets, baselines });
      lastEngine.set(run.run_id!, engine);
      return run.run_id!;
    }
    if (kind === "healing") {
      // Locators are learned on v1 first; v2 then heals what its redesign moved.
      await engine.run({ plan: demoPlan(v1.url, planId), secrets, applicationVersion: "1" });
      const run = await engine.run({ plan: demoPlan(v2.url, planId), secrets, applicationVersion: "2" });
      const heals = Object.values(run.healings);
      if (heals.length > 0)
        await engine.review(run.run_id!, r.pick(heals).healing_id, {
          approved: r.chance(0.5),
          reviewer: "qa",
        });
      lastEngine.set(run.run_id!, engine);
      return run.run_id!;
    }
    if (kind === "stop_resume") {
      const runId = await engine.start({ plan: demoPlan(v1.url, planId), secrets });
      const after = 3 + r.below(6);
      const off = engine.onProgress((e) => {
        if (e.runId === runId && e.kind === "step_finished" && e.index === after)
          void engine.stop(runId, { reason: `stopped after step ${after}` });
      });
      await engine.execute(runId);
      off();
      const other = h.engine({ drift, stepTimeoutMs: 5_000 });
      await other.resume(runId, { secrets });
      lastEngine.set(runId, other);
      return runId;
    }
    const { runId } = await engine.startInteractive({
      plan: { ...demoPlan(v1.url, planId), test_steps: demoPlan(v1.url, planId).test_steps.slice(0, 1) },
      requestedBy: `agent-${n}`,
    });
    const used = new Set<string>(["navigate-login"]);
    const pool = [
      { action: "type", params: { target: "Email field", text: "alice@example.com" } },
      { action: "click", params: { target: { css: "#nowhere" } }, timeout: 1, max_retries: 0 },
      { action: "assert", params: { text: "Sign in to Listly" } },
      { action: "press", params: { key: "Tab" } },
    ];
    for (let i = 0; i < 2 + r.below(3); i++) {
      const done = await engine.addStep(runId, validateStep(r.pick(pool), used));
      if (done.step.status === "failed" && r.chance(0.5))
        await engine.dropStep(runId, done.step.index, "tried something else");
    }
    await engine.finish(runId);
    lastEngine.set(runId, engine);
    return runId;
  }

  it("every run's state folded from its log equals the cached state and the read model, times included", async () => {
    // A baseline to drift from: v1's pages, captured and approved.
    await h.engine({ drift }).run({
      plan: demoPlan(v1.url, "property-baselines"),
      secrets: { "type-password-field": PASSWORD },
      baselines: { capture: "1" },
    });
    await new ProjectionRunner(h.store, [visualBaselinesProjection]).catchUp();
    for (const b of await listBaselines(h.store.db, { version: "1" }))
      await drift.approve(b.baseline_id, "qa");

    const r = random(SEED);
    const kinds: Kind[] = ["plan", "healing", "stop_resume", "interactive", "drift"];
    // Each kind at least once, then a few more at random.
    const plan = [...kinds, ...Array.from({ length: 3 }, () => r.pick(kinds))];
    const runs: { kind: Kind; runId: string }[] = [];
    for (const [n, kind] of plan.entries()) runs.push({ kind, runId: await one(kind, r, n) });
    await new ProjectionRunner(h.store, READ_MODELS).catchUp();

    for (const { kind, runId } of runs) {
      const where = `seed ${SEED}, ${kind} run ${runId}`;
      const events = await h.store.readStream(runStreamId(runId));
      const folded = foldRun(events.map((e) => ({ type: e.type, data: e.data }) as RunEvent));
      const cached = lastEngine.get(runId)!.commands.runs.cached(runStreamId(runId));
      expect(cached, where).toEqual(folded);
      const details = JSON.parse(JSON.stringify(foldRecordedDetails(events)));
      expect(await storedRunDetails(h.store.db, runId), where).toEqual(details);
      expect(details.version, where).toBe(events.length);
    }
    // The runs did what their kind says, so the property covered it.
    const stored = await Promise.all(
      runs.map(async (r) => ({ ...r, d: (await storedRunDetails(h.store.db, r.runId))! })),
    );
    const of = (kind: Kind) => stored.filter((s) => s.kind === kind).map((s) => s.d);
    expect(of("stop_resume").every((d) => d.status === "passed" && d.steps.length === 13)).toBe(true);
    expect(of("healing").some((d) => Object.keys(d.healings).length > 0)).toBe(true);
    expect(of("drift").every((d) => d.drift.length > 0)).toBe(true);
    expect(of("interactive").every((d) => d.interactive === true)).toBe(true);
  }, 300_000);
});
