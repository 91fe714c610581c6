import { createHash } from "node:crypto";
import type { z } from "zod";
import { describeStep, stepKeyText } from "./describe.js";
import type { TestPlan, TestPlanInput, TestStep, TestStepInput } from "./model.js";
import { maskSecrets, recordableText, secretValues } from "./secrets.js";

export { describeStep, describeTarget } from "./describe.js";

type PlanInput = z.output<typeof TestPlanInput>;
type StepInput = TestStepInput;

export function slug(text: string, max = 40): string {
  return (
    text
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, max)
      .replace(/-+$/, "") || "step"
  );
}

/** One step with its id (unique among `used`, which it joins) and description filled in. */
export function normalizeStep(s: StepInput, used: Set<string>): TestStep {
  let id = s.step_id ?? slug(stepKeyText(s));
  if (used.has(id)) {
    let n = 2;
    while (used.has(`${id}-${n}`)) n++;
    id = `${id}-${n}`;
  }
  used.add(id);
  return { ...s, step_id: id, description: s.description ?? describeStep(s) };
}

/**
 * Fills in what a plan may leave out. Step ids come from the action and target, so they stay the same
 * when steps are added or reordered: learned locators are keyed by them.
 */
export function normalizePlan(input: PlanInput): TestPlan {
  const used = new Set<string>();
  const step = (s: StepInput) => normalizeStep(s, used);
  const setup_steps = input.setup_steps.map(step);
  const test_steps = input.test_steps.map(step);
  const teardown_steps = input.teardown_steps.map(step);
  const plan_version = createHash("sha256")
    .update(JSON.stringify({ url: input.application_url, setup_steps, test_steps, teardown_steps }))
    .digest("hex")
    .slice(0, 16);
  return {
    plan_id: input.plan_id ?? slug(input.name, 60),
    plan_version,
    name: input.name,
    description: input.description,
    requirements: input.requirements,
    application_url: input.application_url,
    browser: input.browser,
    framework: input.framework,
    vision_model: input.vision_model,
    test_scope: input.test_scope,
    setup_steps,
    test_steps,
    teardown_steps,
    tags: input.tags,
    created_by: input.created_by,
  };
}

/**
 * A step as it may be stored: secret literals masked, in the params that type them and wherever its words
 * repeat them (description, expected outcome). `secrets` are the plan's, by default the step's own.
 */
export function recordableStep(step: TestStep, secrets: readonly string[] = secretValues([step])): TestStep {
  const hide = (text: string) => (secrets.length ? maskSecrets(text, secrets) : text);
  const words = {
    description: hide(step.description),
    ...(step.expected_outcome ? { expected_outcome: hide(step.expected_outcome) } : {}),
  };
  if (step.action === "type" && step.params.secret && step.params.text !== undefined)
    return { ...step, ...words, params: { ...step.params, text: recordableText(step.params.text, true) } };
  if (step.action === "fill_form") {
    const fields = step.params.fields.map((f) =>
      f.secret && typeof f.value === "string" ? { ...f, value: recordableText(f.value, true) } : f,
    );
    return { ...step, ...words, params: { fields } };
  }
  return { ...step, ...words };
}

/**
 * The plan as it may be stored: secret literals masked, in the steps that type them and wherever else the
 * words of the plan repeat them (step descriptions and outcomes, the requirements text, the name).
 */
export function recordablePlan(plan: TestPlan): TestPlan {
  const secrets = secretValues([...plan.setup_steps, ...plan.test_steps, ...plan.teardown_steps]);
  const hide = (text: string) => (secrets.length ? maskSecrets(text, secrets) : text);
  const mask = (step: TestStep) => recordableStep(step, secrets);
  return {
    ...plan,
    name: hide(plan.name),
    description: hide(plan.description),
    requirements: hide(plan.requirements),
    setup_steps: plan.setup_steps.map(mask),
    test_steps: plan.test_steps.map(mask),
    teardown_steps: plan.teardown_steps.map(mask),
  };
}
