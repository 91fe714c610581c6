import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { validatePlan } from "../../src/domain/plan/parse.js";
import { resolveData } from "../../src/domain/plan/test-data.js";
import { startReexecution } from "../../src/engine/reexecute.js";
import { browsersAvailable } from "../support/browsers.js";
import { type Harness, harness } from "../support/engine.js";

describe("generated test data", () => {
  it("is the same for the same seed and key, different for another seed, and shared by a label", () => {
    const a = resolveData("${data:email} ${data:int:1:6} ${data:name#buyer}", "seed-1", "step-a");
    expect(resolveData("${data:email} ${data:int:1:6} ${data:name#buyer}", "seed-1", "step-a")).toBe(a);
    expect(resolveData("${data:email} ${data:int:1:6} ${data:name#buyer}", "seed-2", "step-a")).not.toBe(a);
    expect(a).toMatch(/^[a-z]+\.[a-z]+\d{3}@example\.test [1-6] [A-Z][a-z]+ [A-Z][a-z]+$/);
    // A label names one value across steps; unlabelled tokens differ by step.
    expect(resolveData("${data:name#buyer}", "seed-1", "step-b")).toBe(a.split(" ").slice(2).join(" "));
    expect(() => resolveData("${data:colour}", "s", "x")).toThrow(/unknown test data kind colour; known: /);
    expect(() => resolveData("${data:int:9:1}", "s", "x")).toThrow(/MIN <= MAX/);
  });
});

describe.runIf(browsersAvailable)("generated test data in a run", () => {
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

  it("types values seeded by the run, and a re-execution types the same ones", async () => {
    const runId = randomUUID();
    // What the run must type, computed apart from the engine: seeded by the run id, named by its label.
    const expected = resolveData("${data:name#item}", runId, "any-step");
    const plan = validatePlan({
      name: "Add a generated item",
      application_url: demo.url,
      test_steps: [
        { action: "navigate", params: { url: "/login" } },
        { action: "type", params: { target: "Email field", text: "alice@example.com" } },
        { action: "type", params: { target: "Password field", text: DEMO_PASSWORD, secret: true } },
        { action: "click", params: { target: "Sign in button" } },
        {
          action: "type",
          params: { target: { description: "New item", css: "#new-item" }, text: "${data:name#item}" },
        },
        { action: "click", params: { target: "Add button" } },
        { action: "assert", params: { text: expected } },
        { action: "assert", params: { text: "${data:name#item}" } },
      ],
    });
    const engine = h.engine();
    const first = await engine.run({ plan, runId });
    expect(first.status, JSON.stringify(first.steps.map((s) => s.error))).toBe("passed");
    // The log keeps the template, not the value.
    expect(JSON.stringify(first.plan)).toContain("${data:name#item}");

    const again = await startReexecution(engine, runId, {
      secrets: { "type-password-field": DEMO_PASSWORD },
    });
    const { replay } = await again.done;
    // The literal check passes only if the re-execution typed the original's value.
    expect(replay.status, JSON.stringify(replay.steps.map((s) => s.error))).toBe("passed");
  }, 120_000);
});
