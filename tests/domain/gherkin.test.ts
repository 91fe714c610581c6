import { describe, expect, it } from "vitest";
import { type GherkinError, parseGherkin } from "../../src/domain/gherkin/parse.js";
import { recordablePlan } from "../../src/domain/plan/normalize.js";
import { plansFromGherkin } from "../../src/domain/planner/gherkin-plan.js";
import { RequirementsError } from "../../src/domain/planner/requirements-plan.js";

const FEATURE = `# language: en
@shop
Feature: Sign in
  Free text that describes the feature.

  Background:
    Given I am on the login page

  @smoke
  Scenario: a user signs in
    When I fill in the following:
      | Email    | alice@example.com |
      | Password | s3cret            |
    And I press "Sign in"
    Then I should see "Welcome, alice"

  Scenario Outline: a wrong password is refused for <user>
    When I fill in "Email" with "<user>"
    And I press "Sign in"
    Then I should see "<message>"

    Examples: known users
      | user  | message             |
      | alice | Wrong password      |
    Examples:
      | user  | message             |
      | bob   | Wrong password, bob |

  Rule: accounts can be locked
    Background:
      Given I wait 1 second

    Scenario: a locked account
      When I fill in "Email" with "mallory@example.com"
      Then I should see:
        """
        Locked
        """
`;
const FEATURE_OK = FEATURE.replace(
  /Then I should see:\n\s+"""\n\s+Locked\n\s+"""\n/,
  'Then I should see "Locked"\n',
);

describe("Gherkin feature files", () => {
  it("reads Background, Scenario, Scenario Outline with several Examples, Rule, tags and data tables", () => {
    const f = parseGherkin(FEATURE_OK, "login.feature");
    expect(f.name).toBe("Sign in");
    expect(f.scenarios.map((s) => s.name)).toEqual([
      "a user signs in",
      "a wrong password is refused for alice",
      "a wrong password is refused for bob",
      "a locked account",
    ]);
    expect(f.scenarios[0]!.tags).toEqual(["@shop", "@smoke"]);
    expect(f.scenarios[0]!.steps[0]).toMatchObject({
      keyword: "Given",
      text: "I am on the login page",
      line: 7,
    });
    expect(f.scenarios[0]!.steps[1]!.table).toEqual([
      ["Email", "alice@example.com"],
      ["Password", "s3cret"],
    ]);
    expect(f.scenarios[2]!.steps.map((s) => s.text)).toEqual([
      "I am on the login page",
      'I fill in "Email" with "bob"',
      'I press "Sign in"',
      'I should see "Wrong password, bob"',
    ]);
    // The rule's background adds to the feature's.
    expect(f.scenarios[3]!.steps.map((s) => s.text).slice(0, 2)).toEqual([
      "I am on the login page",
      "I wait 1 second",
    ]);
  });

  it("reads doc strings and says where a file is wrong", () => {
    const f = parseGherkin(
      'Feature: x\nScenario: y\n  Given a note:\n    """\n    line one\n      line two\n    """\n',
    );
    expect(f.scenarios[0]!.steps[0]!.docString).toBe("line one\n  line two");
    const bad = (text: string) => {
      try {
        parseGherkin(text, "bad.feature");
      } catch (e) {
        return (e as GherkinError).message;
      }
      return "parsed";
    };
    expect(bad("# language: fr\nFonctionnalité: x")).toBe(
      "bad.feature:1: only English Gherkin keywords are read (# language: fr)",
    );
    expect(bad("Feature: x\nScenario Outline: y\n  Given I go to /<p>\n")).toMatch(
      /bad\.feature:2: Scenario Outline "y" has no Examples/,
    );
    expect(bad("Feature: x\n  Given I go to /\n")).toMatch(
      /bad\.feature:2: a step must be inside a Scenario/,
    );
    expect(bad("Feature: x\nScenario: y\n  Given I go to /\n  hello there\n")).toMatch(
      /bad\.feature:4: not a step/,
    );
  });

  it("plans one run per scenario, each with its own identity, table rows typed field by field", () => {
    const plans = plansFromGherkin(FEATURE_OK, "http://shop.test", "login.feature");
    expect(plans.map((p) => [p.plan.plan_id, p.plan.name])).toEqual([
      ["sign-in-a-user-signs-in", "Sign in: a user signs in"],
      ["sign-in-a-wrong-password-is-refused-for-alice", "Sign in: a wrong password is refused for alice"],
      ["sign-in-a-wrong-password-is-refused-for-bob", "Sign in: a wrong password is refused for bob"],
      ["sign-in-a-locked-account", "Sign in: a locked account"],
    ]);
    const first = plans[0]!.plan;
    expect(first.test_steps.map((s) => [s.action, s.params])).toEqual([
      ["navigate", { url: "/login" }],
      ["type", { target: { description: "Email" }, text: "alice@example.com" }],
      ["type", { target: { description: "Password" }, text: "s3cret", secret: true }],
      ["click", { target: { description: "Sign in" } }],
      ["assert", { text: "Welcome, alice" }],
    ]);
    expect(first.tags).toEqual(["shop", "smoke"]);
    // What is recorded of the plan holds the password nowhere, the requirements text included.
    expect(JSON.stringify(recordablePlan(first))).not.toContain("s3cret");
  });

  it("refuses the whole feature when a sentence of any scenario is not understood, naming the scenario", () => {
    let error: unknown;
    try {
      plansFromGherkin(FEATURE, "http://shop.test", "login.feature");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RequirementsError);
    expect((error as Error).message).toContain('Scenario "a locked account"');
    expect((error as Error).message).toContain("a step with a doc string");
    expect((error as Error).message).toContain("Sentence forms the planner knows");
  });
});
