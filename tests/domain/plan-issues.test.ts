import { describe, expect, it } from "vitest";
import { requireEnv, unsetEnvRefs } from "../../src/domain/plan/env-refs.js";
import { keysAt } from "../../src/domain/plan/issue-words.js";
import { TestPlanInput } from "../../src/domain/plan/model.js";
import { PlanValidationError, parsePlan } from "../../src/domain/plan/parse.js";
import { MissingSecretError } from "../../src/domain/plan/secrets.js";

const head = "name: x\napplication_url: http://a.test\n";

/** The error's message for a plan text, which must not parse. */
function refusal(text: string): string {
  try {
    parsePlan(text, "p.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(PlanValidationError);
    return (error as Error).message;
  }
  throw new Error("the plan parsed");
}

describe("plan issues in words", () => {
  it("a misspelt key names the key meant, once, and not the required key it left out", () => {
    const message = refusal(
      `${head}setup_steps:\n  - action: navigate\n    params: { url: / }\ntest_steps:\n  - action: click\n    params:\n      taget: "#login"\n`,
    );
    expect(message).toBe(
      "invalid test plan p.yaml:\n  - step 2 (test_steps[0].params, line 9): unknown key taget; did you mean target?",
    );
  });

  it("knows the keys of each place: a plan's, a step's, an action's params, a target's", () => {
    const data = { test_steps: [{ action: "type", params: { target: { css: "a" } } }] };
    expect(keysAt(TestPlanInput, data, [])).toContain("application_url");
    expect(keysAt(TestPlanInput, data, ["test_steps", 0])).toEqual(
      expect.arrayContaining(["step_id", "description", "action", "params", "timeout"]),
    );
    expect(keysAt(TestPlanInput, data, ["test_steps", 0, "params"]).toSorted()).toEqual([
      "clear",
      "key",
      "keystrokes",
      "secret",
      "target",
      "text",
    ]);
    expect(keysAt(TestPlanInput, data, ["test_steps", 0, "params", "target"])).toContain("within");
  });

  it("a key far from every known one lists the keys there are; issues come in the file's order", () => {
    const message = refusal(
      `${head}test_steps:\n  - action: fly\n    params: {}\n  - action: click\n    params: { target: a, zzz: 1 }\n`,
    );
    const lines = message.split("\n").slice(1);
    expect(lines[0]).toMatch(/^ {2}- step 1 \(test_steps\[0\]\.action, line 4\): action must be one of/);
    expect(lines[1]).toBe(
      "  - step 2 (test_steps[1].params, line 7): unknown key zzz; the keys here: target, button, click_count, modifiers",
    );
  });

  it("a YAML syntax error is reported once, with line and column, and the whole snippet under it", () => {
    const message = refusal(
      `${head}test_steps:\n  - action: navigate\n    params: { url: /login\n  - action: click\n`,
    );
    expect(message).toBe(
      [
        "invalid test plan p.yaml:",
        "  - line 6, column 3: Flow map in block collection must be sufficiently indented and end with a }",
        "          params: { url: /login",
        "        - action: click",
        "        ^",
      ].join("\n"),
    );
  });
});

describe("environment references checked before a run", () => {
  const plan = parsePlan(
    `${head}test_steps:\n  - action: navigate\n    params: { url: / }\n  - action: type\n    params: { target: Email, text: "\${env:TD_USER}" }\n  - action: fill_form\n    params:\n      fields:\n        - { target: Password, value: "\${env:TD_PASS}" }\n`,
  );

  it("names each step that uses a variable that is not set, and the variable", () => {
    expect(unsetEnvRefs(plan, { TD_USER: "alice" })).toEqual([
      { step: 3, step_id: plan.test_steps[2]!.step_id, name: "TD_PASS" },
    ]);
    expect(unsetEnvRefs(plan, { TD_USER: "alice", TD_PASS: "" })).toEqual([]);
  });

  it("refuses the plan with the variables to set", () => {
    expect(() => requireEnv(plan, {})).toThrow(MissingSecretError);
    expect(() => requireEnv(plan, {})).toThrow(
      /^step 2 \(type-email\) uses \$\{env:TD_USER\}, but TD_USER is not set\n.*TD_PASS.*\nset TD_USER, TD_PASS in the environment; nothing ran$/,
    );
  });
});
