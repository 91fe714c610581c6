import { describe, expect, it } from "vitest";
import { planFromRequirements, sentencesOf } from "../../src/domain/planner/deterministic.js";

const one = (sentence: string) => {
  const plan = planFromRequirements(sentence);
  expect(plan.unparsed, sentence).toEqual([]);
  expect(plan.steps, sentence).toHaveLength(1);
  return { action: plan.steps[0]!.action, params: plan.steps[0]!.params };
};

describe("the deterministic planner", () => {
  it.each([
    ["Go to /login", { action: "navigate", params: { url: "/login" } }],
    ["Navigate to https://shop.test/cart", { action: "navigate", params: { url: "https://shop.test/cart" } }],
    ["Open /settings", { action: "navigate", params: { url: "/settings" } }],
    ["Given I am on /login", { action: "navigate", params: { url: "/login" } }],
    ["Type alice into the Email field", { action: "type", params: { text: "alice", target: "Email field" } }],
    [
      'When I enter "s3cret pass" in Password',
      { action: "type", params: { text: "s3cret pass", target: "Password" } },
    ],
    ["Fill in Name with Bob", { action: "type", params: { text: "Bob", target: "Name" } }],
    ["Type bob into #user", { action: "type", params: { text: "bob", target: { css: "#user" } } }],
    ["Press Enter", { action: "type", params: { key: "Enter" } }],
    ["Press Tab in Email", { action: "type", params: { key: "Tab", target: "Email" } }],
    ["Click Sign in", { action: "click", params: { target: "Sign in" } }],
    ["And I click the Sign in button", { action: "click", params: { target: "Sign in button" } }],
    ["Tap on Menu", { action: "click", params: { target: "Menu" } }],
    ["Check I accept the terms", { action: "click", params: { target: "I accept the terms" } }],
    [
      "Select Pro from the Plan dropdown",
      { action: "select", params: { values: ["Pro"], target: "Plan dropdown" } },
    ],
    ["Hover over Products", { action: "hover", params: { target: "Products" } }],
    ["Drag Card to Done", { action: "drag_drop", params: { source: "Card", destination: "Done" } }],
    [
      "Upload a.pdf and b.pdf to Attachments",
      { action: "upload_file", params: { files: ["a.pdf", "b.pdf"], target: "Attachments" } },
    ],
    ["Scroll down", { action: "scroll", params: { y: 100000 } }],
    ["Scroll to the Footer", { action: "scroll", params: { target: "Footer" } }],
    ["Wait 2 seconds", { action: "wait", params: { ms: 2000 } }],
    ["Wait 300 ms", { action: "wait", params: { ms: 300 } }],
    ["Wait for the Results table to appear", { action: "wait", params: { target: "Results table" } }],
    ["Expect to see Welcome, alice", { action: "assert", params: { text: "Welcome, alice" } }],
    ['Then I should see "Order placed"', { action: "assert", params: { text: "Order placed" } }],
    ["Verify that the page shows Thank you", { action: "assert", params: { text: "Thank you" } }],
    ["I should not see Error", { action: "assert", params: { not_text: "Error" } }],
    ["Then the URL contains /dashboard", { action: "assert", params: { url_contains: "/dashboard" } }],
    ["I should be on /home", { action: "assert", params: { url_contains: "/home" } }],
    ["The title should be Dashboard", { action: "assert", params: { title_contains: "Dashboard" } }],
  ])("%s", (sentence, expected) => {
    expect(one(sentence)).toEqual(expected);
  });

  it("splits sentences, lists and 'then' joins, and reads Gherkin feature and scenario lines", () => {
    expect(sentencesOf("1. Go to /login. Type a into B, then click C\n- Expect to see D")).toEqual([
      "1. Go to /login.",
      "Type a into B",
      "click C",
      "- Expect to see D",
    ]);
    const plan = planFromRequirements(
      "Feature: Sign in\nScenario: a user signs in\n# a comment\nGiven I am on /login\nThen I see Hello",
    );
    expect(plan).toMatchObject({ name: "Sign in", description: "a user signs in", unparsed: [] });
    expect(plan.steps.map((s) => s.action)).toEqual(["navigate", "assert"]);
  });

  it("reports sentences it does not understand instead of guessing", () => {
    const plan = planFromRequirements(
      "Go to /login\nMake it fast and pretty\nOpen the login page\nClick Save",
    );
    expect(plan.unparsed).toEqual(["Make it fast and pretty", "Open the login page"]);
    expect(plan.steps.map((s) => s.action)).toEqual(["navigate", "click"]);
  });
});
