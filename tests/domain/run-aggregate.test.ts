import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { validatePlan } from "../../src/domain/plan/parse.js";
import type { Fact } from "../../src/domain/run/commands.js";
import { decide, type RunCommand, type RunRuleError } from "../../src/domain/run/decide.js";
import type { RunEvent } from "../../src/domain/run/events.js";
import { evolve, foldRun, initialRunState, type RunState } from "../../src/domain/run/state.js";
import { foldDetails, type RunDetails } from "../../src/projections/run-report/details.js";

const plan = validatePlan({
  name: "Demo",
  application_url: "http://127.0.0.1:4000",
  setup_steps: [{ action: "navigate", params: { url: "/login" } }],
  test_steps: [
    { action: "click", params: { target: { description: "Sign in", css: "#go" } }, max_retries: 1 },
    { action: "assert", params: { text: "Welcome" } },
    {
      action: "type",
      params: { target: "Token", text: "t0ps3cret", secret: true },
      critical: false,
      retry_on_failure: false,
    },
  ],
  teardown_steps: [{ action: "click", params: { target: "Sign out" }, retry_on_failure: false }],
});
const RUN = randomUUID();
const locator = { frames: [], hosts: [], selector: "#go" };
const fingerprint = {
  tag: "button",
  role: "button",
  name: "Sign in",
  text: "Sign in",
  classes: [],
  attributes: {},
  domPath: "html>body>button",
  neighbours: [],
  box: { x: 0, y: 0, width: 10, height: 10 },
};

/** A command as a test writes it: `given` gives it its time, and its observations theirs. */
type Untimed<C> = C extends { observations: unknown }
  ? Omit<C, "at" | "observations"> & { observations: Fact[] }
  : Omit<C, "at">;
type Command = RunCommand extends infer C ? (C extends unknown ? Untimed<C> : never) : never;
type Observation = Fact;

let clock = Date.parse("2026-01-01T00:00:00Z");
const tick = () => {
  clock += 1000;
  return new Date(clock).toISOString();
};

function timed(command: Command): RunCommand {
  const at = tick();
  if (command.type === "FinishStep" || command.type === "RecordObservations") {
    const observations = command.observations.map((o) => ({ ...o, data: { ...o.data, at } }));
    return { ...command, observations, at } as RunCommand;
  }
  return { ...command, at } as RunCommand;
}

/**
 * Runs commands through decide and evolve, as the command handler does, and returns every event, the
 * aggregate's state and the run's details (the report's fold of the same events).
 */
function given(...commands: Command[]): { state: RunState; events: RunEvent[]; details: RunDetails } {
  let state = initialRunState();
  const events: RunEvent[] = [];
  for (const command of commands) {
    const decided = decide(timed(command), state);
    events.push(...decided);
    state = foldRun(decided, state);
  }
  return { state, events, details: foldDetails(events) };
}

const request: Command = {
  type: "RequestRun",
  run_id: RUN,
  application_url: plan.application_url,
  driver: "playwright",
  source: "plan",
  plan,
  planner: "file",
};
const start: Command = { type: "StartRun", driver: "playwright" };
const step = (index: number): Command => ({ type: "StartStep", index });
const pass = (index: number, observations: Observation[] = [], healing_id?: string): Command => ({
  type: "FinishStep",
  index,
  observations,
  outcome: { passed: true, duration_ms: 5, healing_id },
});
const fail = (index: number, error = "boom", healing_id?: string, retriable?: boolean): Command => ({
  type: "FinishStep",
  index,
  observations: [],
  outcome: { passed: false, duration_ms: 5, error, healing_id, retriable },
});
const heal = (
  index: number,
  decision: "auto_commit" | "propose" | "manual_review" | "reject",
  id = randomUUID(),
): Extract<Observation, { type: "LocatorHealed" }> => ({
  type: "LocatorHealed",
  data: {
    healing_id: id,
    index,
    step_id: "click-sign-in",
    role: "target",
    old_locator: locator,
    new_locator: { ...locator, selector: "#go2" },
    method: "dom_fingerprint",
    confidence: 0.85,
    decision,
    new_fingerprint: fingerprint,
  },
});
const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as RunRuleError;
  }
  throw new Error("expected a RunRuleError");
};

describe("the test run aggregate", () => {
  it("a request records the plan with secrets masked, and the run waits pending", () => {
    const { state, events } = given(request);
    expect(events.map((e) => e.type)).toEqual(["RunRequested", "PlanGenerated"]);
    expect(JSON.stringify(events)).not.toContain("t0ps3cret");
    expect(state).toMatchObject({ status: "pending", run_id: RUN, version: 2 });
    expect(state.steps.map((s) => [s.phase, s.status])).toEqual([
      ["setup", "pending"],
      ["test", "pending"],
      ["test", "pending"],
      ["test", "pending"],
      ["teardown", "pending"],
    ]);
    expect(thrown(() => given(request, request)).code).toBe("run_exists");
  });

  it("a planning failure is recorded and the run ends in error", () => {
    const { state, events, details } = given({
      ...request,
      plan: undefined,
      planner: "model",
      planning_error: { error: "model answered twice with invalid JSON", attempts: 2 },
    });
    expect(events.map((e) => e.type)).toEqual(["RunRequested", "PlanGenerationFailed"]);
    expect(state.status).toBe("error");
    expect(details).toMatchObject({ status: "error", error: "model answered twice with invalid JSON" });
  });

  it("steps run in order, one at a time, and the run passes when every step passes", () => {
    const located: Observation = {
      type: "ElementLocated",
      data: {
        index: 1,
        step_id: "click-sign-in",
        role: "target",
        strategy: "explicit",
        locator,
        confidence: 1,
        fingerprint,
      },
    };
    const { state, events, details } = given(
      request,
      start,
      step(0),
      pass(0),
      step(1),
      pass(1, [located]),
      step(2),
      pass(2),
      step(3),
      pass(3),
      step(4),
      pass(4),
      { type: "CompleteRun", duration_ms: 40 },
    );
    expect(state.status).toBe("passed");
    expect(details.steps[1]!.located[0]).toMatchObject({ strategy: "explicit", confidence: 1 });
    expect(events.at(-1)).toMatchObject({
      type: "RunCompleted",
      data: { status: "passed", duration_ms: 40, passed: 5, failed: 0, skipped: 0, healed: 0 },
    });
    expect(thrown(() => given(request, start, step(0), step(0))).code).toBe("wrong_step");
    expect(thrown(() => given(request, start, step(1), pass(0))).message).toMatch(/step 0 is not running/);
    expect(thrown(() => given(request, step(0))).code).toBe("wrong_status");
    expect(thrown(() => given(request, start, { type: "CompleteRun", duration_ms: 1 })).message).toMatch(
      /steps still pending/,
    );
  });

  it("a failed step is retried while retries remain, then fails for good", () => {
    const { state, events, details } = given(
      request,
      start,
      step(0),
      pass(0),
      step(1),
      fail(1),
      step(1),
      fail(1),
    );
    const failures = events
      .filter((e) => e.type === "StepFailed")
      .map((e) => e.data as { will_retry: boolean; attempt: number });
    expect(failures).toEqual([
      expect.objectContaining({ attempt: 1, will_retry: true }),
      expect.objectContaining({ attempt: 2, will_retry: false }),
    ]);
    expect(state.steps[1]).toMatchObject({ status: "failed", attempts: 2 });
    expect(details.steps[1]).toMatchObject({ status: "failed", attempts: 2, error: "boom" });
    const once = given(request, start, step(0), pass(0), step(1), fail(1, "no candidate", undefined, false));
    expect(once.state.steps[1]!.status).toBe("failed");
  });

  it("a critical failure skips the remaining test steps but not teardown, and the run fails", () => {
    const { state, events } = given(
      request,
      start,
      step(0),
      pass(0),
      step(1),
      fail(1),
      step(1),
      fail(1),
      { type: "SkipRemaining", reason: "critical step failed" },
      step(4),
      pass(4),
      { type: "CompleteRun", duration_ms: 9 },
    );
    expect(
      events.filter((e) => e.type === "StepSkipped").map((e) => (e.data as { index: number }).index),
    ).toEqual([2, 3]);
    expect(state.steps.map((s) => s.status)).toEqual(["passed", "failed", "skipped", "skipped", "passed"]);
    expect(state.status).toBe("failed");
  });

  it("a non-critical failure lets the run carry on, and the run ends failed (as expect.soft)", () => {
    const { state } = given(
      request,
      start,
      step(0),
      pass(0),
      step(1),
      pass(1),
      step(2),
      pass(2),
      step(3),
      fail(3),
      step(4),
      pass(4),
      { type: "CompleteRun", duration_ms: 1 },
    );
    expect(state.steps[3]!.status).toBe("failed");
    expect(state.steps[4]!.status).toBe("passed");
    expect(state.status).toBe("failed");
  });

  it("a heal a check names and passes counts as verified; a check naming nothing leaves it unverified", () => {
    const unnamed = heal(1, "propose");
    const quiet = given(
      request,
      start,
      step(0),
      pass(0),
      step(1),
      pass(1, [unnamed], unnamed.data.healing_id),
      step(2),
      pass(2),
    );
    expect(quiet.state.steps[1]!.status).toBe("healed");
    expect(quiet.events.some((e) => e.type === "HealingVerified")).toBe(false);
    expect(quiet.state.healings[unnamed.data.healing_id]!.successful).toBeUndefined();
  });

  it("a heal the next check confirms counts as healed; auto-commit and propose may act, the others may not", () => {
    // The recorded element sat in the row "Welcome", and the check after it looks for "Welcome".
    const h = heal(1, "propose");
    h.data.old_fingerprint = { ...fingerprint, context: "Welcome" };
    const { state, events } = given(
      request,
      start,
      step(0),
      pass(0),
      step(1),
      pass(1, [h], h.data.healing_id),
      step(2),
      pass(2),
    );
    expect(state.steps[1]!.status).toBe("healed");
    expect(events.find((e) => e.type === "HealingVerified")).toMatchObject({
      type: "HealingVerified",
      data: {
        healing_id: h.data.healing_id,
        successful: true,
        by_index: 2,
        reason: "assert-welcome passed and names the element",
      },
    });
    expect(state.healings[h.data.healing_id]!.successful).toBe(true);
    for (const band of ["manual_review", "reject"] as const) {
      const low = heal(1, band);
      expect(
        thrown(() => given(request, start, step(0), pass(0), step(1), pass(1, [low], low.data.healing_id)))
          .code,
      ).toBe("bad_heal");
      const recorded = given(request, start, step(0), pass(0), step(1), {
        type: "FinishStep",
        index: 1,
        observations: [low],
        outcome: {
          passed: false,
          duration_ms: 5,
          error: "too low to act on",
          healing_id: low.data.healing_id,
          retriable: false,
        },
      });
      expect(recorded.state.healings[low.data.healing_id]).toMatchObject({
        decision: band,
        successful: false,
      });
    }
  });

  it("a heal that leads to a failed check is unsuccessful, and its step counts as failed, not healed", () => {
    const h = heal(1, "auto_commit");
    const { state, events, details } = given(
      request,
      start,
      step(0),
      pass(0),
      step(1),
      pass(1, [h], h.data.healing_id),
      step(2),
      fail(2, "text Welcome not shown"),
      step(2),
      fail(2, "text Welcome not shown"),
      step(2),
      fail(2, "text Welcome not shown"),
    );
    expect(events.filter((e) => e.type === "HealingVerified")).toHaveLength(1);
    expect(state.healings[h.data.healing_id]!.successful).toBe(false);
    expect(details.steps[1]).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/healed locator led to a failed check/),
    });
    expect(state.steps.filter((s) => s.status === "healed")).toEqual([]);
  });

  it("heals no check named stay unverified when the run completes", () => {
    const h = heal(4, "auto_commit");
    const { state } = given(
      request,
      start,
      step(0),
      pass(0),
      step(1),
      pass(1),
      step(2),
      pass(2),
      step(3),
      pass(3),
      step(4),
      pass(4, [h], h.data.healing_id),
      { type: "CompleteRun", duration_ms: 1 },
    );
    expect(state.healings[h.data.healing_id]!.successful).toBeUndefined();
    expect(state.steps[4]!.status).toBe("healed");
  });

  it("records snapshots, waits, drift and heal attempts as they happened", () => {
    const observations: Observation[] = [
      {
        type: "WaitObserved",
        data: { index: 0, key: "k", wait: "navigation", duration_ms: 12, success: true },
      },
      {
        type: "SnapshotCaptured",
        data: {
          index: 0,
          snapshot_hash: "a".repeat(64),
          url: "http://x/login",
          title: "Login",
          dom_hash: "b".repeat(64),
        },
      },
      {
        type: "HealingAttempted",
        data: {
          healing_id: randomUUID(),
          index: 0,
          step_id: "s",
          role: "target",
          reason: "gone",
          candidates: 3,
        },
      },
      {
        type: "DriftDetected",
        data: {
          detection_id: randomUUID(),
          page: "/login",
          severity: "cosmetic",
          similarity: 0.97,
          drift_detected: true,
          pixel_diff_ratio: 0.01,
          embedding_distance: 0.002,
          changed_regions: [{ x: 0, y: 0, width: 8, height: 8 }],
          new_elements: [],
          removed_elements: [],
          changed_elements: [],
          reasons: ["cosmetic: 1.00 % of pixels differ in 1 region"],
          description: "button colour changed",
          impact_assessment: "Functional tests keep working.",
          recommended_actions: [],
          described_by: "rules",
        },
      },
    ];
    const { state, events, details } = given(request, start, step(0), pass(0, observations));
    expect(events.slice(-5).map((e) => e.type)).toEqual([
      "WaitObserved",
      "SnapshotCaptured",
      "HealingAttempted",
      "DriftDetected",
      "StepPassed",
    ]);
    expect(details.steps[0]!.waits).toEqual([{ wait: "navigation", duration_ms: 12, success: true }]);
    expect(details.snapshots[0]).toMatchObject({ index: 0, url: "http://x/login" });
    expect(details.drift[0]!.severity).toBe("cosmetic");
    expect(state.last_snapshot).toBe("a".repeat(64));
  });

  it("stops, saving state to resume from; a stop without saved state cannot be resumed", () => {
    const hash = "c".repeat(64);
    const stopped = given(request, start, step(0), pass(0), {
      type: "StopRun",
      reason: "user",
      snapshot_hash: hash,
      resumable: true,
    });
    expect(stopped.state).toMatchObject({
      status: "stopped",
      stop: { snapshot_hash: hash, resumable: true },
    });
    expect(stopped.details.stop).toEqual({ reason: "user", snapshot_hash: hash, resumable: true });
    const resumed = given(
      request,
      start,
      step(0),
      pass(0),
      { type: "StopRun", reason: "user", snapshot_hash: hash, resumable: true },
      { type: "ResumeRun", driver: "webdriverio" },
    );
    expect(resumed.events.at(-1)).toMatchObject({
      type: "RunResumed",
      data: { from_index: 1, snapshot_hash: hash, driver: "webdriverio" },
    });
    expect(resumed.state.status).toBe("running");
    expect(
      thrown(() =>
        given(
          request,
          start,
          { type: "StopRun", reason: "x", resumable: false },
          { type: "ResumeRun", driver: "playwright" },
        ),
      ).message,
    ).toMatch(/cannot be resumed/);
    expect(
      thrown(() =>
        given(
          request,
          start,
          step(0),
          pass(0),
          step(1),
          pass(1),
          step(2),
          pass(2),
          step(3),
          pass(3),
          step(4),
          pass(4),
          { type: "CompleteRun", duration_ms: 1 },
          { type: "StopRun", reason: "late", resumable: true },
        ),
      ).code,
    ).toBe("wrong_status");
  });

  it("a run whose process died mid-step resumes that step", () => {
    const { state } = given(request, start, step(0), pass(0), step(1), {
      type: "ResumeRun",
      driver: "playwright",
    });
    expect(state.steps[1]).toMatchObject({ status: "pending", attempts: 1 });
    expect(state.current_index).toBeUndefined();
  });

  it("healing a failed run reopens its failed and skipped steps", () => {
    const failed = [
      request,
      start,
      step(0),
      pass(0),
      step(1),
      fail(1),
      step(1),
      fail(1),
      { type: "SkipRemaining", reason: "x" } as Command,
      step(4),
      pass(4),
      { type: "CompleteRun", duration_ms: 1 } as Command,
    ];
    const { state, events } = given(...failed, { type: "StartHealing", reason: "heal requested" });
    expect(events.at(-1)).toMatchObject({
      type: "RunHealing",
      data: { from_index: 1, reason: "heal requested" },
    });
    expect(state.status).toBe("healing");
    expect(state.steps.map((s) => s.status)).toEqual(["passed", "pending", "pending", "pending", "passed"]);
    expect(thrown(() => given(request, start, { type: "StartHealing", reason: "x" })).code).toBe(
      "wrong_status",
    );
  });

  it("a heal is reviewed once, by a person, and unknown heals are refused", () => {
    const h = heal(1, "propose");
    const base = [request, start, step(0), pass(0), step(1), pass(1, [h], h.data.healing_id)];
    const { state, events } = given(...base, {
      type: "ReviewHealing",
      healing_id: h.data.healing_id,
      approved: false,
      reviewer: "ana",
      note: "wrong button",
    });
    expect(events.at(-1)).toMatchObject({
      type: "HealingReviewed",
      data: { healing_id: h.data.healing_id, approved: false, reviewer: "ana", note: "wrong button" },
    });
    expect(state.healings[h.data.healing_id]!.review).toMatchObject({ approved: false, reviewer: "ana" });
    expect(
      thrown(() =>
        given(
          ...base,
          { type: "ReviewHealing", healing_id: h.data.healing_id, approved: true, reviewer: "a" },
          { type: "ReviewHealing", healing_id: h.data.healing_id, approved: true, reviewer: "b" },
        ),
      ).code,
    ).toBe("already_reviewed");
    expect(
      thrown(() =>
        given(...base, { type: "ReviewHealing", healing_id: randomUUID(), approved: true, reviewer: "a" }),
      ).code,
    ).toBe("unknown_healing");
  });

  it("the state after each decision is what folding the log gives, times included: time is in the events", () => {
    let cached = initialRunState();
    const events: RunEvent[] = [];
    for (const command of [request, start, step(0), pass(0), step(1), fail(1)]) {
      const decided = decide(timed(command), cached);
      events.push(...decided);
      cached = decided.reduce(evolve, cached);
    }
    expect(foldRun(events)).toEqual(cached);
    expect(cached.version).toBe(events.length);
    expect(events.every((e) => typeof (e.data as { at?: string }).at === "string")).toBe(true);
    expect(foldDetails(events)).toEqual(foldDetails(events.map((e) => structuredClone(e))));
  });
});
