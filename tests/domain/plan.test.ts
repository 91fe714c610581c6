import { describe, expect, it } from "vitest";
import { recordablePlan } from "../../src/domain/plan/normalize.js";
import { PlanValidationError, parsePlan, validatePlan } from "../../src/domain/plan/parse.js";
import { MASK, MissingSecretError, resolveText } from "../../src/domain/plan/secrets.js";

const yaml = `name: Login
application_url: http://127.0.0.1:4000
test_steps:
  - action: navigate
    params: { url: /login }
  - action: type
    params: { target: Email, text: alice@example.com }
  - action: type
    params: { target: { css: "#password" }, text: "\${env:PASSWORD}" }
  - action: type
    params: { target: Token, text: s3cr3t, secret: true }
  - action: click
    params: { target: { description: Sign in button, css: "#login-btn" } }
  - action: assert
    params: { text: "Welcome, alice" }
`;

describe("test plans", () => {
  it("parses YAML, filling in ids, descriptions, defaults and a version", () => {
    const plan = parsePlan(yaml, "login.yaml");
    expect(plan).toMatchObject({
      plan_id: "login",
      name: "Login",
      browser: "chromium",
      test_scope: ["functional"],
    });
    expect(plan.plan_version).toMatch(/^[0-9a-f]{16}$/);
    expect(plan.test_steps.map((s) => s.step_id)).toEqual([
      "navigate-login",
      "type-email",
      "type-password",
      "type-token",
      "click-sign-in-button",
      "assert-welcome-alice",
    ]);
    expect(plan.test_steps[4]).toMatchObject({
      description: "Click Sign in button",
      timeout: 30,
      retry_on_failure: true,
      max_retries: 2,
      critical: true,
      params: { target: { description: "Sign in button", css: "#login-btn" } },
    });
    expect(plan.test_steps[1]!.params).toMatchObject({ target: { description: "Email" } });
  });

  it("reads JSON too, and gives the same plan the same version", () => {
    const fromYaml = parsePlan(yaml);
    const json = JSON.stringify({
      name: "Login",
      application_url: "http://127.0.0.1:4000",
      test_steps: fromYaml.test_steps.map(({ action, params }) => ({ action, params })),
    });
    expect(parsePlan(json, "login.json").plan_version).toBe(fromYaml.plan_version);
  });

  it("keeps step ids stable when steps are inserted, and makes repeated ones unique", () => {
    const plan = validatePlan({
      name: "x",
      application_url: "http://a.test",
      test_steps: [
        { action: "click", params: { target: "Save" } },
        { action: "click", params: { target: "Cancel" } },
        { action: "click", params: { target: "Save" } },
      ],
    });
    expect(plan.test_steps.map((s) => s.step_id)).toEqual(["click-save", "click-cancel", "click-save-2"]);
  });

  it("lists every bad field by path and line, and nothing is returned", () => {
    const bad = `name: Login
application_url: ftp://example.com
test_steps:
  - action: navigate
    params: {}
  - action: fly
    params: { to: moon }
  - action: click
    params: { target: { colour: red } }
  - action: type
    params: { text: hi }
  - action: assert
    params: {}
`;
    let error: PlanValidationError | undefined;
    try {
      parsePlan(bad, "bad.yaml");
    } catch (e) {
      error = e as PlanValidationError;
    }
    expect(error).toBeInstanceOf(PlanValidationError);
    const issues = error!.issues.map((i) => `${i.path}@${i.line}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        "application_url@2: must be an http(s) URL",
        expect.stringMatching(/^test_steps\[0\]\.params\.url@5: /),
        expect.stringMatching(/^test_steps\[1\]\.action@6: action must be one of: navigate, click/),
        expect.stringMatching(
          /^test_steps\[2\]\.params\.target@9: unknown key colour; the keys here: description, /,
        ),
        "test_steps[3].params.target@11: typing text needs a target",
        expect.stringMatching(/^test_steps\[4\]\.params@13: say what to check/),
      ]),
    );
    expect(error!.message).toContain("invalid test plan bad.yaml");
  });

  it("reports YAML syntax errors with their line, and a plan without steps", () => {
    expect(() => parsePlan("name: x\napplication_url: http://a\ntest_steps: [x", "broken.yaml")).toThrow(
      /line 3, column 15: Flow sequence in block collection/,
    );
    expect(() => validatePlan({ name: "x", application_url: "http://a.test", test_steps: [] })).toThrow(
      /a plan needs at least one test step/,
    );
  });
});

describe("secrets", () => {
  it("resolves env references when typing and names a missing variable", () => {
    expect(resolveText("pw-${env:PW}!", { PW: "hunter2" }, "step x")).toBe("pw-hunter2!");
    expect(() => resolveText("${env:NOPE}", {}, "step type-password")).toThrow(MissingSecretError);
    expect(() => resolveText("${env:NOPE}", {}, "step type-password")).toThrow(
      /step type-password: environment variable NOPE is not set/,
    );
  });

  it("masks secret literals in the recordable plan and its descriptions; env templates stay as written", () => {
    const plan = parsePlan(yaml);
    const stored = recordablePlan(plan);
    expect(stored.test_steps[3]!.params).toMatchObject({ text: MASK });
    expect(stored.test_steps[3]!.description).not.toContain("s3cr3t");
    expect(stored.test_steps[2]!.params).toMatchObject({ text: "${env:PASSWORD}" });
    expect(JSON.stringify(stored)).not.toContain("s3cr3t");
    expect(plan.test_steps[3]!.params).toMatchObject({ text: "s3cr3t" });
  });
});
