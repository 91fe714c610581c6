import { z } from "zod";

/** Test plan model (spec §4.2), in the spec's snake_case: it is also the plan file format. */

export const ACTION_TYPES = [
  "navigate",
  "click",
  "type",
  "assert",
  "wait",
  "scroll",
  "select",
  "hover",
  "drag_drop",
  "upload_file",
  "execute_script",
] as const;
export const ActionType = z.enum(ACTION_TYPES);
export type ActionType = z.infer<typeof ActionType>;

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

/**
 * What a step acts on: a description ("the Sign in button"), an explicit selector, or both. A plain string
 * is a description.
 */
export interface TargetSpec {
  description?: string;
  css?: string;
  xpath?: string;
  role?: string;
  frame?: string;
}

export const TargetSpec: z.ZodType<TargetSpec, unknown> = z.union([
  z
    .string()
    .min(1)
    .transform((description): TargetSpec => ({ description })),
  z
    .object({
      description: z.string().min(1).optional(),
      css: z.string().min(1).optional(),
      xpath: z.string().min(1).optional(),
      role: z.string().min(1).optional(),
      frame: z.string().min(1).optional(),
    })
    .strict()
    .refine((t) => t.description || t.css || t.xpath || t.role, "give a description, css, xpath or role"),
]);

/** A typed value: literal, marked secret, or `${env:NAME}` (resolved at run time, never stored). */
const TypedText = z.string();

const navigate = z.object({
  url: z.string().min(1),
  wait_until: z.enum(["load", "domcontentloaded", "networkidle"]).optional(),
});
const click = z.object({
  target: TargetSpec,
  button: z.enum(["left", "right", "middle"]).optional(),
  click_count: z.number().int().min(1).max(3).optional(),
});
const type = z
  .object({
    target: TargetSpec.optional(),
    text: TypedText.optional(),
    /** A key to press after typing, or alone: "Enter", "Tab", "Control+A". */
    key: z.string().min(1).optional(),
    secret: z.boolean().optional(),
    clear: z.boolean().optional(),
    /** Type key by key, for pages that react to each key (autocomplete, masks). */
    keystrokes: z.boolean().optional(),
  })
  .refine((p) => p.text !== undefined || p.key !== undefined, "give text, a key, or both")
  .refine((p) => p.text === undefined || p.target !== undefined, {
    message: "typing text needs a target",
    path: ["target"],
  });
const assert = z
  .object({
    /** Text the page (or the target) must show. */
    text: z.string().min(1).optional(),
    /** Text the page (or the target) must not show. */
    not_text: z.string().min(1).optional(),
    target: TargetSpec.optional(),
    /** The target must (or must not) be visible. */
    visible: z.boolean().optional(),
    url_contains: z.string().min(1).optional(),
    title_contains: z.string().min(1).optional(),
    /** A form field's value. */
    value: z.string().optional(),
    /** The page made a request: its URL contains `url`; optionally its method, status and JSON body's schema. */
    request: z
      .object({
        url: z.string().min(1),
        method: z.string().min(1).optional(),
        status: z.number().int().min(100).max(599).optional(),
        json_schema: z.record(z.string(), z.unknown()).optional(),
      })
      .strict()
      .optional(),
  })
  .refine(
    (p) =>
      p.text ||
      p.not_text ||
      p.url_contains ||
      p.title_contains ||
      p.value !== undefined ||
      p.visible !== undefined ||
      p.request !== undefined,
    "say what to check: text, not_text, visible, url_contains, title_contains, value or request",
  )
  .refine((p) => (p.visible === undefined && p.value === undefined) || p.target, {
    message: "visible and value checks need a target",
    path: ["target"],
  });
const wait = z
  .object({
    ms: z.number().int().min(0).max(600_000).optional(),
    for: z.enum(["network_idle", "dom_quiet", "visual_stability"]).optional(),
    target: TargetSpec.optional(),
  })
  .refine((p) => p.ms !== undefined || p.for || p.target, "give ms, for or target");
const scroll = z
  .object({ target: TargetSpec.optional(), x: z.number().optional(), y: z.number().optional() })
  .refine((p) => p.target || p.y !== undefined || p.x !== undefined, "give a target or x/y");
const select = z.object({ target: TargetSpec, values: z.array(z.string()).min(1) });
const hover = z.object({ target: TargetSpec });
const dragDrop = z.object({ source: TargetSpec, destination: TargetSpec });
const uploadFile = z.object({ target: TargetSpec, files: z.array(z.string().min(1)).min(1) });
const executeScript = z.object({ script: z.string().min(1), args: z.array(z.unknown()).optional() });

export const PARAMS_BY_ACTION = {
  navigate,
  click,
  type,
  assert,
  wait,
  scroll,
  select,
  hover,
  drag_drop: dragDrop,
  upload_file: uploadFile,
  execute_script: executeScript,
} as const;

const stepBase = {
  step_id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,80}$/i, "letters, digits, '.', '_' and '-', at most 81 characters")
    .optional(),
  description: z.string().min(1).optional(),
  expected_outcome: z.string().min(1).optional(),
  /** Seconds, as in the spec. */
  timeout: z.number().positive().max(600).default(30),
  retry_on_failure: z.boolean().default(true),
  max_retries: z.number().int().min(0).max(10).default(2),
  critical: z.boolean().default(true),
};

/** A step as written in a plan file, before normalisation. */
export interface TestStepInput {
  step_id?: string;
  description?: string;
  action: ActionType;
  params: Record<string, unknown>;
  expected_outcome?: string;
  timeout: number;
  retry_on_failure: boolean;
  max_retries: number;
  critical: boolean;
}

export const TestStepInput = z.discriminatedUnion(
  "action",
  ACTION_TYPES.map((action) =>
    z.object({ ...stepBase, action: z.literal(action), params: PARAMS_BY_ACTION[action] }).strict(),
  ) as unknown as [z.ZodObject, z.ZodObject, ...z.ZodObject[]],
  {
    error: (issue) =>
      issue.code === "invalid_union" ? `action must be one of: ${ACTION_TYPES.join(", ")}` : undefined,
  },
) as unknown as z.ZodType<TestStepInput, unknown>;

export const TestPlanInput = z
  .object({
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
    setup_steps: z.array(TestStepInput).default([]),
    test_steps: z.array(TestStepInput).min(1, "a plan needs at least one test step"),
    teardown_steps: z.array(TestStepInput).default([]),
    tags: z.array(z.string()).default([]),
    created_by: z.string().default("user"),
  })
  .strict();

export type Phase = "setup" | "test" | "teardown";

export interface TestStep {
  step_id: string;
  description: string;
  action: ActionType;
  params: Record<string, unknown>;
  expected_outcome?: string;
  timeout: number;
  retry_on_failure: boolean;
  max_retries: number;
  critical: boolean;
}

export interface TestPlan {
  plan_id: string;
  /** sha256 (16 hex) of the steps and URL: runs of the same version are comparable. */
  plan_version: string;
  name: string;
  description: string;
  requirements: string;
  application_url: string;
  browser: string;
  framework: "auto" | "playwright" | "webdriverio";
  vision_model: string;
  test_scope: ("functional" | "accessibility" | "security" | "performance")[];
  setup_steps: TestStep[];
  test_steps: TestStep[];
  teardown_steps: TestStep[];
  tags: string[];
  created_by: string;
}

/** A plan's steps in execution order, with their phase and position. */
export function allSteps(plan: TestPlan): { phase: Phase; index: number; step: TestStep }[] {
  const out: { phase: Phase; index: number; step: TestStep }[] = [];
  for (const [phase, steps] of [
    ["setup", plan.setup_steps],
    ["test", plan.test_steps],
    ["teardown", plan.teardown_steps],
  ] as const) {
    for (const step of steps) out.push({ phase, index: out.length, step });
  }
  return out;
}
