import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { planFromRequirementsText } from "../../src/domain/planner/requirements-plan.js";
import { browsersAvailable } from "../support/browsers.js";
import { type Harness, harness } from "../support/engine.js";

describe.runIf(browsersAvailable)("a password typed by requirements", () => {
  let h: Harness;
  let demo: RunningDemo;
  beforeAll(async () => {
    h = await harness();
    demo = await serveDemo(1);
  });
  afterAll(async () => {
    await demo?.close();
    await h?.close();
  });

  it("never enters the log, and a process that did not plan it asks for it instead of typing the mask", async () => {
    const plan = planFromRequirementsText(
      `Go to /login\nFill in Email with alice@example.com\nFill in Password with ${DEMO_PASSWORD}\nClick the Sign in button\nThen I should see "Welcome, alice"`,
      demo.url,
    );
    // One engine records the run (and holds the password in memory); another, as after a crash, executes it.
    const runId = await h.engine().start({ plan, planner: "deterministic", source: "requirements" });
    const state = await h.engine().execute(runId);
    const password = state.steps.find((s) => s.step_id === plan.test_steps[2]!.step_id)!;
    expect(password.status).toBe("failed");
    expect(password.error).toContain(`secrets.${password.step_id}`);
    const log = JSON.stringify(await h.runEvents(runId));
    expect(log).not.toContain(DEMO_PASSWORD);
    expect(log).toContain("Fill in Password with ••••••••");
  }, 60_000);
});
