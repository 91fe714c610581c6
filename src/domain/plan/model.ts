import { z } from "zod";
import { ACTION_TYPES, type ActionType, PARAMS_BY_ACTION } from "./actions.js";

/** Test plan model (spec §4.2), in the spec's snake_case: it is also the plan file format. */

export { ACTION_TYPES, ActionType, PARAMS_BY_ACTION, type ParamsOf } from "./actions.js";
export { TargetSpec } from "./target.js";

export const TEST_STATUSES = [
  "pending",
  "running",
  "passed",
  "failed",
  "healing",
  "stopped",
  "error",
] as const;
export type TestStatus = (typeof TEST_STATUSES)[number];
export const STEP_STATUSES = ["pending", "running", "passed", "failed", "skipped", "healed"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

const StepIdText = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,80}$/i, "letters, digits, '.', '_' and '-', at most 81 characters");

/** What every step has besides its action and params, as written in a plan file (defaults filled in). */
const stepFields = {
  step_id: StepIdText.optional(),
  description: z.string().min(1).optional(),
  expected_outcome: z.string().min(1).optional(),
  /** Seconds, as in the spec. */
  timeout: z.number().positive().max(600).default(30),
  retry_on_failure: z.boolean().default(true),
  max_retries: z.number().int().min(0).max(10).default(2),
  /** false: a failure does not stop the run, but the run still fails (as Playwright's `expect.soft`). */
  critical: z.boolean().default(true),
};

/** The same once normalised: an id and a description always there. */
const normalizedFields = { ...stepFields, step_id: z.string().min(1), description: z.string() };

type Variant<F extends z.ZodRawShape, A extends ActionType> = z.ZodObject<
  F & { action: z.ZodLiteral<A>; params: (typeof PARAMS_BY_ACTION)[A] },
  z.core.$strict
>;
type Variants<F extends z.ZodRawShape> = { [A in ActionType]: Variant<F, A> }[ActionType];

/** One schema per action, discriminated by `action`: the union is the step's type. */
function stepUnion<F extends z.ZodRawShape>(fields: F) {
  const variants = ACTION_TYPES.map((action) =>
    z.strictObject({ ...fields, action: z.literal(action), params: PARAMS_BY_ACTION[action] }),
  ) as Variants<F>[];
  return z.discriminatedUnion("action", variants as [Variants<F>, ...Variants<F>[]], {
    error: (issue) =>
      issue.code === "invalid_union" ? `action must be one of: ${ACTION_TYPES.join(", ")}` : undefined,
  });
}

/** A step as written in a plan file, before normalisation. */
export const TestStepInput = stepUnion(stepFields);
export type TestStepInput = z.output<typeof TestStepInput>;

/** A step as a plan holds it and the log records it. */
export const TestStep = stepUnion(normalizedFields);
export type TestStep = z.output<typeof TestStep>;
/** A step of one action, its params typed. */
export type StepOf<A extends ActionType> = Extract<TestStep, { action: A }>;

const planFields = {
  plan_id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,80}$/i)
    .optional(),
  name: z.string().min(1),
  description: z.string().default(""),
  requirements: z.string().default(""),
  application_url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
  browser: z.enum(["chrome", "chromium"]).default("chromium"),
  framework: z.enum(["auto", "playwright", "webdriverio"]).default("auto"),
  vision_model: z.string().default("auto"),
  test_scope: z
    .array(z.enum(["functional", "accessibility", "security", "performance"]))
    .default(["functional"]),
  tags: z.array(z.string()).default([]),
  created_by: z.string().default("user"),
};

export const TestPlanInput = z.strictObject({
  ...planFields,
  setup_steps: z.array(TestStepInput).default([]),
  test_steps: z.array(TestStepInput).min(1, "a plan needs at least one test step"),
  teardown_steps: z.array(TestStepInput).default([]),
});

/** A plan as normalised, recorded and run. */
export const TestPlan = z.object({
  ...planFields,
  plan_id: z.string().min(1),
  /** sha256 (16 hex) of the steps and URL: runs of the same version are comparable. */
  plan_version: z.string(),
  application_url: z.string(),
  browser: z.string(),
  setup_steps: z.array(TestStep),
  test_steps: z.array(TestStep),
  teardown_steps: z.array(TestStep),
});
export type TestPlan = z.output<typeof TestPlan>;

export type Phase = "setup" | "test" | "teardown";

/** A plan's steps in execution order, with their phase and position. */
export function allSteps<S>(plan: { setup_steps: S[]; test_steps: S[]; teardown_steps: S[] }): {
  phase: Phase;
  index: number;
  step: S;
}[] {
  const out: { phase: Phase; index: number; step: S }[] = [];
  for (const [phase, steps] of [
    ["setup", plan.setup_steps],
    ["test", plan.test_steps],
    ["teardown", plan.teardown_steps],
  ] as const) {
    for (const step of steps) out.push({ phase, index: out.length, step });
  }
  return out;
}
