import { createRequire } from "node:module";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validatePlan } from "../../src/domain/plan/parse.js";
import { browsersAvailable } from "../support/browsers.js";
import { type Harness, harness } from "../support/engine.js";
import { serveDirectory } from "../support/static-server.js";

const todomvc = dirname(createRequire(import.meta.url).resolve("todomvc/package.json"));

/** Locating by words on a real TodoMVC implementation (vanillajs from the todomvc package). */
describe.runIf(browsersAvailable)("locating on TodoMVC", () => {
  let h: Harness;
  let site: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    h = await harness();
    site = await serveDirectory(todomvc);
  });
  afterAll(async () => {
    await site?.close();
    await h?.close();
  });

  const plan = (steps: unknown[]) =>
    validatePlan({
      name: "TodoMVC",
      application_url: `${site.url}/examples/vanillajs/`,
      test_steps: [
        { action: "navigate", params: { url: `${site.url}/examples/vanillajs/` } },
        { action: "type", params: { target: "What needs to be done?", text: "Buy milk" } },
        { action: "press", params: { key: "Enter" } },
        { action: "type", params: { target: "What needs to be done?", text: "Walk the dog" } },
        { action: "press", params: { key: "Enter" } },
        ...steps,
      ],
    });

  it("finds a row's nameless toggle by its role and the row's text", async () => {
    const state = await h.engine().run({
      plan: plan([
        {
          action: "check",
          params: { target: { role: "checkbox", description: "Walk the dog" }, checked: true },
        },
        { action: "assert", params: { text: "1 item left" } },
        {
          action: "click",
          params: { target: { role: "button", description: "delete", within: "Buy milk" } },
        },
        { action: "assert", params: { not_text: "Buy milk" } },
        { action: "assert", params: { text: "Walk the dog" } },
      ]),
    });
    const failed = state.steps.filter((s) => s.status !== "passed").map((s) => `${s.step_id}: ${s.error}`);
    expect(failed).toEqual([]);
  });

  it("says at once that nothing matches on a settled page, naming the closest candidates with their refs", async () => {
    const state = await h.engine({ stepTimeoutMs: 30_000 }).run({
      plan: plan([
        { action: "click", params: { target: { role: "button", description: "Archive everything" } } },
      ]),
    });
    const step = state.steps.at(-1)!;
    expect(step.status).toBe("failed");
    // The fail-fast verdict, not the timeout's ("could not find ... within 30000 ms").
    expect(step.error).toMatch(/^nothing on the page matches button "Archive everything": .*closest: /);
    expect(step.error).toMatch(/(button|link) "[^"]*" \[[a-z]*\d+\]/);
    expect(step.error).not.toMatch(/within 30000 ms/);
  });
});
