import { createRequire } from "node:module";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planFromRequirementsText } from "../../src/domain/planner/requirements-plan.js";
import { browsersAvailable } from "../support/browsers.js";
import { type Harness, harness } from "../support/engine.js";
import { serveDirectory } from "../support/static-server.js";

/**
 * What a tester writes for TodoMVC, the sentences the issue names among them: adding with Enter, marking an
 * entry done, deleting an entry by its text, double-clicking to edit, counters, "X is shown and Y is not",
 * and a delete button that appears only on hover.
 */
const REQUIREMENTS = `Type "Buy milk" into "What needs to be done?" and press Enter
Type "Walk the dog" into "What needs to be done?" and press Enter
Type "Feed the cat" into "What needs to be done?" and press Enter
I should see "3 items left"
Mark "Buy milk" as completed
Then I should see "2 items left"
Delete "Walk the dog"
"Buy milk" is shown and "Walk the dog" is not
Double-click "Feed the cat" to edit it
Press Escape
Hover over "Feed the cat" and click its delete button
Then I should not see "Feed the cat"`;

const todomvc = dirname(createRequire(import.meta.url).resolve("todomvc/package.json"));

describe("the TodoMVC requirements", () => {
  it("plan as the step vocabulary says, each sentence read whole", () => {
    const plan = planFromRequirementsText(REQUIREMENTS, "http://127.0.0.1:1/examples/vanillajs/");
    expect(plan.test_steps.map((s) => [s.action, s.params])).toEqual([
      ["navigate", { url: "http://127.0.0.1:1/examples/vanillajs/" }],
      ["type", { target: { description: "What needs to be done?" }, text: "Buy milk" }],
      ["press", { key: "Enter" }],
      ["type", { target: { description: "What needs to be done?" }, text: "Walk the dog" }],
      ["press", { key: "Enter" }],
      ["type", { target: { description: "What needs to be done?" }, text: "Feed the cat" }],
      ["press", { key: "Enter" }],
      ["assert", { text: "3 items left" }],
      ["check", { target: { role: "checkbox", within: "Buy milk" }, checked: true }],
      ["assert", { text: "2 items left" }],
      ["click", { target: { role: "button", description: "Delete", within: "Walk the dog" } }],
      ["assert", { text: "Buy milk" }],
      ["assert", { not_text: "Walk the dog" }],
      ["click", { target: { description: "Feed the cat" }, click_count: 2 }],
      ["press", { key: "Escape" }],
      ["hover", { target: { description: "Feed the cat" } }],
      ["click", { target: { role: "button", description: "delete", within: "Feed the cat" } }],
      ["assert", { not_text: "Feed the cat" }],
    ]);
  });
});

// The executor handles press, check and targets with `within` (locate: role as a hard filter, the row's
// controls revealed under the pointer), so these runs check the plans on real TodoMVC implementations.
const EXECUTOR_READY = true;

describe.runIf(browsersAvailable && EXECUTOR_READY)("the TodoMVC requirements on real TodoMVC apps", () => {
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

  it.each(["vanillajs", "react"])(
    "run as planned on the %s implementation",
    async (impl) => {
      const plan = planFromRequirementsText(REQUIREMENTS, `${site.url}/examples/${impl}/`);
      const state = await h.engine().run({ plan, planner: "deterministic", source: "requirements" });
      const failed = state.steps.filter((s) => s.status !== "passed").map((s) => `${s.step_id}: ${s.error}`);
      expect(failed).toEqual([]);
      expect(state.status).toBe("passed");
    },
    120_000,
  );
});
