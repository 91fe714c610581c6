import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validatePlan } from "../../src/domain/plan/parse.js";
import { browsersAvailable } from "../support/browsers.js";
import { type Harness, harness } from "../support/engine.js";

/**
 * The confirmed wrong heal, in small: "delete Pay rent" learned on one page, run on a page whose ids
 * changed. Where Pay rent's row is still there the heal lands on its own delete button; where it is gone,
 * the look-alike delete button of another row is refused, however alike the two buttons are.
 */
const row = (id: string, text: string) =>
  `<li id="todo-${id}"><input class="toggle" type="checkbox"><label>${text}</label><button id="${id}" class="destroy" onclick="this.closest('li').remove()"></button></li>`;
const pages: Record<string, string> = {
  v1: `<ul>${row("del-1", "Pay rent")}${row("del-2", "Buy oat milk")}</ul>`,
  renamed: `<ul>${row("remove-b", "Buy oat milk")}${row("remove-a", "Pay rent")}</ul>`,
  removed: `<ul>${row("remove-b", "Buy oat milk")}</ul>`,
};

describe.runIf(browsersAvailable)("healing among look-alike rows", () => {
  let h: Harness;
  const app = Fastify();
  let base = "";

  beforeAll(async () => {
    h = await harness();
    app.get("/:page", async (request, reply) =>
      reply
        .type("text/html")
        .send(`<html><body>${pages[(request.params as { page: string }).page] ?? ""}</body></html>`),
    );
    await app.listen({ host: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app.close();
    await h?.close();
  });

  const plan = (page: string, planId: string) =>
    validatePlan({
      plan_id: planId,
      name: "Delete Pay rent",
      application_url: base,
      test_steps: [
        { action: "navigate", params: { url: `/${page}` } },
        { action: "click", params: { target: { description: "delete Pay rent", css: "#del-1" } } },
        { action: "assert", params: { not_text: "Pay rent" }, max_retries: 0 },
      ],
    });

  it("heals onto the delete button of the right row when the ids changed and the rows moved", async () => {
    const engine = h.engine({ stepTimeoutMs: 5000 });
    expect((await engine.run({ plan: plan("v1", "pay-rent-moved") })).status).toBe("passed");
    const state = await engine.run({ plan: plan("renamed", "pay-rent-moved") });
    const heal = Object.values(state.healings)[0]!;
    expect(heal.new_locator.selector).toBe("#remove-a");
    expect(state.status).toBe("passed");
    // "Expect not to see Pay rent" names the row: the heal is proved.
    expect(heal.successful).toBe(true);
  });

  it("refuses the look-alike in another row when the row is gone", async () => {
    const engine = h.engine({ stepTimeoutMs: 5000 });
    expect((await engine.run({ plan: plan("v1", "pay-rent-gone") })).status).toBe("passed");
    const state = await engine.run({ plan: plan("removed", "pay-rent-gone") });
    expect(state.status).toBe("failed");
    const step = state.steps.find((s) => s.step_id.startsWith("click"))!;
    expect(step.status).toBe("failed");
    expect(step.error).toMatch(/refused: it sits in another row|too low to act on/);
    expect(
      Object.values(state.healings).every((x) => x.decision === "reject" || x.decision === "manual_review"),
    ).toBe(true);
  });
});
