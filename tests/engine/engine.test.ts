import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { locatorStreamId } from "../../src/domain/locators/locators.js";
import { parsePlan, validatePlan, validateStep } from "../../src/domain/plan/parse.js";
import type { RunDetails } from "../../src/projections/run-report/details.js";
import { browsersAvailable } from "../support/browsers.js";
import { DEMO_PLAN_TEXT, demoPlan, type Harness, harness } from "../support/engine.js";

const types = (events: { type: string }[]) => events.map((e) => e.type);
const strategies = (state: RunDetails) =>
  Object.fromEntries(
    state.steps.filter((s) => s.located.length).map((s) => [s.step_id, s.located[0]!.strategy]),
  );

describe.runIf(browsersAvailable)("the run engine on the demo app", () => {
  let h: Harness;
  let v1: RunningDemo;
  let v2: RunningDemo;

  beforeAll(async () => {
    h = await harness();
    v1 = await serveDemo(1);
    v2 = await serveDemo(2);
  });
  afterAll(async () => {
    await h?.close();
    await v1?.close();
    await v2?.close();
  });

  it("runs v1, locating by explicit selector and by description, and learns the elements", async () => {
    const engine = h.engine();
    const state = await engine.run({ plan: demoPlan(v1.url, "demo-learn"), applicationVersion: "1.0" });
    expect(state.status).toBe("passed");
    expect(state.steps.every((s) => s.status === "passed")).toBe(true);
    expect(strategies(state)).toMatchObject({
      "type-email-field": "explicit",
      "click-sign-in-button": "explicit",
      "click-delete-milk": "accessibility",
    });
    const events = types(await h.runEvents(state.run_id!));
    expect(events.slice(0, 4)).toEqual(["RunRequested", "PlanGenerated", "RunStarted", "StepStarted"]);
    expect(events).toContain("ElementLocated");
    expect(events).toContain("WaitObserved");
    expect(events).toContain("SnapshotCaptured");
    expect(events.at(-1)).toBe("RunCompleted");
    const learned = await h.store.readStream(locatorStreamId("demo-learn"));
    expect(learned.length).toBe(7);
    expect(
      learned.every(
        (e) => e.type === "LocatorLearned" && (e.data as { source: string }).source === "located",
      ),
    ).toBe(true);
  });

  // The model's calibrated confidence puts most of v2's heals above 0.90; an auto-commit band out of reach
  // keeps them proposals, so that approving and rejecting them can be shown.
  const proposing = { autoCommit: 0.9999, propose: 0.8, manualReview: 0.7 };

  it("heals v2's renamed and moved elements with no wrong element acted on; approvals teach the next run", async () => {
    const engine = h.engine({ thresholds: proposing });
    await engine.run({ plan: demoPlan(v1.url, "demo-heal"), applicationVersion: "1.0" });
    const healed = await engine.run({ plan: demoPlan(v2.url, "demo-heal"), applicationVersion: "2.0" });
    // Every check after every heal passed: no step acted on a wrong element.
    expect(healed.status).toBe("passed");
    const heals = Object.values(healed.healings);
    expect(heals.map((x) => [x.step_id, x.new_locator.selector])).toEqual([
      ["type-email-field", "#user-email"],
      ["type-password-field", "#user-password"],
      ["click-sign-in-button", "#signin-button"],
      ["type-new-item", "#item-text"],
      ["click-add-button", "#create-item"],
      ["click-sign-out-link", "#sign-out"],
    ]);
    expect(
      heals.every(
        (x) => x.decision === "propose" && x.successful !== false && x.method === "dom_fingerprint",
      ),
      JSON.stringify(heals.map((x) => [x.step_id, x.confidence, x.decision])),
    ).toBe(true);
    // Only a check that names the element proves a heal: "Expect not to see Milk" names what was typed into
    // the new-item field; "Welcome, alice", "3 item(s)" or "Sign in to Listly" would pass whichever button
    // had been clicked.
    expect(heals.filter((x) => x.successful === true).map((x) => x.step_id)).toEqual(["type-new-item"]);
    expect(heals.every((x) => x.screenshot_before && x.screenshot_after)).toBe(true);
    expect(healed.steps.filter((s) => s.status === "healed").map((s) => s.step_id)).toEqual(
      heals.map((x) => x.step_id),
    );

    for (const x of heals)
      await engine.review(healed.run_id!, x.healing_id, { approved: true, reviewer: "qa" });
    const again = await engine.run({ plan: demoPlan(v2.url, "demo-heal"), applicationVersion: "2.0" });
    expect(again.status).toBe("passed");
    expect(Object.keys(again.healings)).toEqual([]);
    expect(strategies(again)).toMatchObject({
      "type-email-field": "learned",
      "click-sign-in-button": "learned",
      "click-sign-out-link": "learned",
    });
  });

  it("never proposes a rejected heal again for the same element", async () => {
    const engine = h.engine({ thresholds: proposing });
    await engine.run({ plan: demoPlan(v1.url, "demo-reject"), applicationVersion: "1.0" });
    const first = await engine.run({ plan: demoPlan(v2.url, "demo-reject") });
    const signIn = Object.values(first.healings).find((x) => x.step_id === "click-sign-in-button")!;
    await engine.review(first.run_id!, signIn.healing_id, {
      approved: false,
      reviewer: "qa",
      note: "not that one",
    });
    const second = await engine.run({ plan: demoPlan(v2.url, "demo-reject") });
    const proposals = Object.values(second.healings).filter((x) => x.step_id === "click-sign-in-button");
    expect(proposals.length).toBeGreaterThan(0);
    expect(proposals.every((x) => x.new_locator.selector !== "#signin-button")).toBe(true);
    expect(second.status).toBe("failed");
  });

  it.each([
    ["auto_commit", { autoCommit: 0.5, propose: 0.4, manualReview: 0.3 }, "passed"],
    ["propose", { autoCommit: 0.99, propose: 0.5, manualReview: 0.4 }, "passed"],
    ["manual_review", { autoCommit: 0.99, propose: 0.98, manualReview: 0.5 }, "failed"],
    ["reject", { autoCommit: 0.99, propose: 0.98, manualReview: 0.97 }, "failed"],
  ] as const)("the %s band", async (band, thresholds, status) => {
    const planId = `demo-band-${band}`;
    const engine = h.engine({ thresholds });
    await engine.run({ plan: demoPlan(v1.url, planId) });
    const state = await engine.run({ plan: demoPlan(v2.url, planId) });
    expect(
      state.status,
      JSON.stringify(state.steps.filter((s) => s.error).map((s) => [s.step_id, s.error])),
    ).toBe(status);
    const first = Object.values(state.healings)[0]!;
    expect(first).toMatchObject({ step_id: "type-email-field", decision: band });
    const step = state.steps.find((s) => s.step_id === "type-email-field")!;
    if (band === "auto_commit" || band === "propose") {
      expect(step.status).toBe("healed");
    } else {
      // Not acted on: the step failed once, without retries, and the rest of the test was skipped.
      expect(step).toMatchObject({ status: "failed", attempts: 1 });
      expect(step.error).toMatch(new RegExp(`\\(${band.replace("_", " ")}\\), too low to act on`));
      expect(state.steps.filter((s) => s.status === "skipped").length).toBeGreaterThan(0);
    }
    if (band === "auto_commit") {
      // Auto-committed heals a check proved become the learned locators at once; the others heal again.
      const next = await engine.run({ plan: demoPlan(v2.url, planId) });
      expect(next.status).toBe("passed");
      const again = Object.values(next.healings).map((x) => x.step_id);
      expect(again).not.toContain("type-new-item");
      expect(again).toContain("click-sign-in-button");
    }
  });

  it("records a heal that leads to a failed check as unsuccessful, never as healed", async () => {
    const apps = [1, 2].map((version) => {
      const app = Fastify();
      app.get("/", async (_r, reply) =>
        reply
          .type("text/html")
          .send(
            version === 1
              ? `<html><body><button id="go" onclick="document.body.innerHTML='<p>Step two</p>'">Continue</button></body></html>`
              : `<html><body><button id="stop" onclick="document.body.innerHTML='<p>Cancelled</p>'">Cancel</button></body></html>`,
          ),
      );
      return app;
    });
    const urls: string[] = [];
    for (const app of apps) {
      await app.listen({ host: "127.0.0.1", port: 0 });
      urls.push(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
    }
    try {
      const plan = (url: string) =>
        validatePlan({
          plan_id: "look-alike",
          name: "Look-alike",
          application_url: url,
          test_steps: [
            { action: "navigate", params: { url: "/" } },
            { action: "click", params: { target: { css: "#go" } } },
            { action: "assert", params: { text: "Step two" }, max_retries: 0 },
          ],
        });
      // Thresholds low enough that the engine acts on the only button there is.
      const engine = h.engine({
        thresholds: { autoCommit: 0.3, propose: 0.2, manualReview: 0.1 },
        stepTimeoutMs: 3000,
      });
      expect((await engine.run({ plan: plan(urls[0]!) })).status).toBe("passed");
      const state = await engine.run({ plan: plan(urls[1]!) });
      expect(state.status).toBe("failed");
      const heal = Object.values(state.healings)[0]!;
      expect(heal).toMatchObject({ decision: "auto_commit", successful: false });
      expect(state.steps[1]).toMatchObject({
        status: "failed",
        error: expect.stringMatching(/healed locator led to a failed check/),
      });
      expect(state.steps.some((s) => s.status === "healed")).toBe(false);
      // And a heal that failed is not learned.
      const learned = await h.store.readStream(locatorStreamId("look-alike"));
      expect(learned.filter((e) => (e.data as { source: string }).source === "healed")).toEqual([]);
    } finally {
      await Promise.all(apps.map((a) => a.close()));
    }
  });

  it("finds an element only a vision model can see", async () => {
    const app = Fastify();
    app.get("/", async (_r, reply) =>
      reply
        .type("text/html")
        .send(
          `<html><body><div id="gear" onclick="document.getElementById('out').textContent='Settings opened'" style="position:absolute;left:200px;top:100px;width:40px;height:40px;background:#555;border-radius:50%"></div><p id="out"></p></body></html>`,
        ),
    );
    await app.listen({ host: "127.0.0.1", port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    try {
      // A scripted stand-in for a vision model (the model adapters come with their own tests): it "sees" the
      // grey circle where the page draws it, and nothing else.
      const vision = {
        findElement: async (_shot: Buffer, description: string) =>
          /gear|settings/i.test(description)
            ? { box: { x: 200, y: 100, width: 40, height: 40 }, confidence: 0.9 }
            : null,
      };
      const engine = h.engine({ vision });
      const state = await engine.run({
        plan: validatePlan({
          name: "Vision",
          application_url: url,
          test_steps: [
            { action: "navigate", params: { url: "/" } },
            { action: "click", params: { target: "the gear icon" } },
            { action: "assert", params: { text: "Settings opened" } },
          ],
        }),
      });
      expect(state.status).toBe("passed");
      expect(state.steps[1]!.located[0]).toMatchObject({ strategy: "vision", confidence: 0.9 });
    } finally {
      await app.close();
    }
  });

  it("keeps secrets out of the log: env references stay templates, secret literals are masked", async () => {
    const engine = h.engine({ env: { LISTLY_EMAIL: "alice@example.com" } });
    const yaml = DEMO_PLAN_TEXT.replace("text: alice@example.com", 'text: "${env:LISTLY_EMAIL}"');
    const plan = { ...parsePlan(yaml, "secrets.yaml"), application_url: v1.url, plan_id: "demo-secrets" };
    const state = await engine.run({ plan });
    expect(state.status).toBe("passed");
    const log = JSON.stringify(await h.runEvents(state.run_id!));
    expect(log).not.toContain("correct horse battery");
    expect(log).not.toContain("alice@example.com");
    expect(log).toContain("${env:LISTLY_EMAIL}");
    expect(log).toContain("••••••••");
  });

  it("stops a run, saving its state, and resumes it in another engine from the saved snapshot", async () => {
    const engine = h.engine();
    const plan = demoPlan(v1.url, "demo-resume");
    const runId = await engine.start({ plan });
    const stopAfterSignIn = engine.onProgress((event) => {
      if (event.kind === "step_finished" && event.stepId === "click-sign-in-button")
        void engine.stop(runId, { reason: "maintenance" });
    });
    const stopped = await engine.execute(runId);
    stopAfterSignIn();
    expect(stopped).toMatchObject({ status: "stopped", stop: { reason: "maintenance", resumable: true } });
    expect(stopped.steps.filter((s) => s.status === "passed")).toHaveLength(4);

    const other = h.engine();
    const resumed = await other.resume(runId);
    expect(resumed.status).toBe("passed");
    expect(types(await h.runEvents(runId)).filter((t) => t === "RunResumed")).toHaveLength(1);
    const started = (await h.runEvents(runId))
      .filter((e) => e.type === "StepStarted")
      .map((e) => (e.data as { index: number }).index);
    // Signed-in steps were not run again: the session came back from the snapshot (cookie and page).
    expect(started).toEqual([...Array(13).keys()]);
  });

  it("runs an interactive run step by step as an agent gives them, until it is finished", async () => {
    const engine = h.engine();
    const plan = validatePlan(
      {
        name: "Agent session",
        application_url: v1.url,
        test_steps: [{ action: "navigate", params: { url: "/login" } }],
      },
      "interactive",
    );
    const runId = await engine.start({ plan, interactive: true });
    const done = engine.execute(runId);
    const used = new Set(plan.test_steps.map((s) => s.step_id));
    const step = (input: object) => engine.addStep(runId, validateStep(input, used));
    const typed = await step({
      action: "type",
      params: { target: "Email field", text: "alice@example.com" },
    });
    expect(typed.step).toMatchObject({ status: "passed", index: 1 });
    const located = typed.last.observations.find((o) => o.type === "ElementLocated");
    expect(located?.data).toMatchObject({ strategy: "accessibility" });
    const missing = await step({
      action: "click",
      params: { target: { css: "#nope" } },
      max_retries: 0,
      timeout: 1,
    });
    expect(missing.step.status).toBe("failed");
    // A failed step does not end an interactive run: the agent decides what comes next.
    expect((await step({ action: "assert", params: { text: "Sign in to Listly" } })).step.status).toBe(
      "passed",
    );
    const finished = await engine.finish(runId);
    expect(await done).toEqual(finished);
    expect(finished.status).toBe("failed");
    expect(finished.steps.map((s) => s.status)).toEqual(["passed", "passed", "failed", "passed"]);
    expect(types(await h.runEvents(runId)).filter((t) => t === "StepAdded")).toHaveLength(3);
    await expect(engine.addStep(runId, plan.test_steps[0]!)).rejects.toThrow(/not executing/);
  });

  it("runs the same plan through WebdriverIO", async () => {
    const state = await h.engine().run({ plan: demoPlan(v1.url, "demo-wdio"), driver: "webdriverio" });
    // Every failed attempt, retried ones included, so that a failure on a busy CI machine explains itself.
    const attempts = (await h.runEvents(state.run_id!))
      .filter((e) => e.type === "StepFailed")
      .map((e) => e.data as { step_id: string; attempt: number; error: string });
    expect(state.status, JSON.stringify(attempts)).toBe("passed");
    expect(state.driver).toBe("webdriverio");
  });
});
