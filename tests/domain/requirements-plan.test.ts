import { describe, expect, it } from "vitest";
import { recordablePlan } from "../../src/domain/plan/normalize.js";
import { planFromRequirementsText, RequirementsError } from "../../src/domain/planner/requirements-plan.js";

const url = "http://127.0.0.1:4400";

describe("a plan from requirements", () => {
  it("opens the application first when the first sentence does not open a page", () => {
    const plan = planFromRequirementsText("Click the Sign in button", url);
    expect(
      plan.test_steps.map((s) => [s.action, "url" in s.params ? s.params.url : undefined, s.description]),
    ).toEqual([
      ["navigate", url, "Open the application"],
      ["click", undefined, "Click the Sign in button"],
    ]);
    const home = planFromRequirementsText("Given I am on the home page\nThen I should see Welcome", url);
    expect(home.test_steps[0]!.params).toEqual({ url });
    expect(home.test_steps).toHaveLength(2);
  });

  it("gets an identity of its own: from the scenario and feature names, else from its sentences and origin", () => {
    const a = planFromRequirementsText("Go to /login\nClick Sign in", url);
    const b = planFromRequirementsText("Go to /cart\nClick Checkout", url);
    const aElsewhere = planFromRequirementsText("Go to /login\nClick Sign in", "http://127.0.0.1:4401/app");
    expect(a.plan_id).toMatch(/^requirements-[0-9a-f]{12}$/);
    expect(new Set([a.plan_id, b.plan_id, aElsewhere.plan_id]).size).toBe(3);
    expect(planFromRequirementsText("go to /login\n  Click   Sign in", url).plan_id).toBe(a.plan_id);
    expect(a.name).toBe("Requirements: Go to /login");
    const named = planFromRequirementsText("Feature: Checkout\nScenario: pay by card\nGo to /cart", url);
    expect([named.plan_id, named.name]).toEqual(["checkout-pay-by-card", "Checkout: pay by card"]);
  });

  it("keeps a secret typed into a password field out of everything it records, and out of its own words", () => {
    const plan = planFromRequirementsText(
      "Go to /login\nFill in Password with s3cret-Pa55\nClick Sign in",
      url,
    );
    const typing = plan.test_steps[1]!;
    expect(typing.params).toMatchObject({ text: "s3cret-Pa55", secret: true });
    expect(typing.description).toBe("Fill in Password with ••••••••");
    expect(plan.requirements).not.toContain("s3cret-Pa55");
    const recorded = JSON.stringify(recordablePlan(plan));
    expect(recorded).not.toContain("s3cret-Pa55");
    // A value the sentence marks secret is kept out the same way; an ${env:NAME} is stored as written.
    const marked = planFromRequirementsText('Type the secret "tok-123" into API token', url);
    expect(JSON.stringify(recordablePlan(marked))).not.toContain("tok-123");
    const env = planFromRequirementsText("Fill in Password with ${env:APP_PASSWORD}", url);
    expect(env.test_steps[1]!.params).toEqual({
      target: { description: "Password" },
      text: "${env:APP_PASSWORD}",
    });
  });

  it("refuses with every sentence not understood, what was understood of it, and the forms it knows", () => {
    let error: RequirementsError | undefined;
    try {
      planFromRequirementsText(
        "Go to /login\nType foo into Search and frobnicate the widget\nMake it pop",
        url,
      );
    } catch (e) {
      error = e as RequirementsError;
    }
    expect(error).toBeInstanceOf(RequirementsError);
    expect(error!.refused.map((r) => r.sentence)).toEqual([
      "Type foo into Search and frobnicate the widget",
      "Make it pop",
    ]);
    expect(error!.message).toContain('understood: "Type foo into Search" -> type "foo" into "Search"');
    expect(error!.message).toContain('not understood: "frobnicate the widget"');
    expect(error!.message).toMatch(/Sentence forms the planner knows[\s\S]*Open a page: Go to \/login/);
  });
});
