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
  "press",
  "check",
  "go_back",
  "go_forward",
  "reload",
  "dialog",
  "switch_tab",
  "close_tab",
  "fill_form",
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
 * is a description. `role` is a hard filter. `within` and `nth` point into repeated structure: "the Delete
 * button next to Bread" is `{role: button, description: Delete, within: Bread}` (the row, list item or card
 * whose text names it), "the second Delete button" is `{..., nth: 2}`. `ref` is a short reference an
 * observation handed out ("e12"), valid on the page it was read from.
 */
export interface TargetSpec {
  description?: string;
  css?: string;
  xpath?: string;
  role?: string;
  frame?: string;
  within?: string;
  nth?: number;
  ref?: string;
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
      within: z.string().min(1).optional(),
      nth: z.number().int().min(1).max(1000).optional(),
      ref: z
        .string()
        .regex(/^[a-z]{0,3}\d{1,6}$/, "a ref from the latest observation, such as e12")
        .optional(),
    })
    .strict()
    .refine(
      (t) => t.description || t.css || t.xpath || t.role || t.ref,
      "give a description, css, xpath, role or ref",
    ),
]);

/** A typed value: literal, marked secret, or `${env:NAME}` (resolved at run time, never stored). */
const TypedText = z.string();

const WaitUntil = z.enum(["load", "domcontentloaded", "networkidle"]);
const navigate = z.strictObject({ url: z.string().min(1), wait_until: WaitUntil.optional() });
const click = z.strictObject({
  target: TargetSpec,
  button: z.enum(["left", "right", "middle"]).optional(),
  /** 2 is a double click. */
  click_count: z.number().int().min(1).max(3).optional(),
  modifiers: z
    .array(z.enum(["Alt", "Control", "Meta", "Shift"]))
    .max(4)
    .optional(),
});
const type = z
  .strictObject({
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
  .strictObject({
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
    /** A checkbox, radio or switch is (not) checked. */
    checked: z.boolean().optional(),
    /** How many elements match the target ("the list shows 3 items": a listitem target, count 3). */
    count: z.number().int().min(0).max(10_000).optional(),
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
      p.checked !== undefined ||
      p.count !== undefined ||
      p.request !== undefined,
    "say what to check: text, not_text, visible, checked, count, url_contains, title_contains, value or request",
  )
  .refine(
    (p) =>
      (p.visible === undefined &&
        p.value === undefined &&
        p.checked === undefined &&
        p.count === undefined) ||
      p.target,
    { message: "visible, value, checked and count checks need a target", path: ["target"] },
  );
const wait = z
  .strictObject({
    ms: z.number().int().min(0).max(600_000).optional(),
    for: z.enum(["network_idle", "dom_quiet", "visual_stability"]).optional(),
    target: TargetSpec.optional(),
    /** Text to appear on the page, or (not_text) to go. */
    text: z.string().min(1).optional(),
    not_text: z.string().min(1).optional(),
  })
  .refine(
    (p) => p.ms !== undefined || p.for || p.target || p.text || p.not_text,
    "give ms, for, target, text or not_text",
  );
const scroll = z
  .strictObject({ target: TargetSpec.optional(), x: z.number().optional(), y: z.number().optional() })
  .refine((p) => p.target || p.y !== undefined || p.x !== undefined, "give a target or x/y");
const select = z.strictObject({ target: TargetSpec, values: z.array(z.string()).min(1) });
const hover = z.strictObject({ target: TargetSpec });
const dragDrop = z.strictObject({ source: TargetSpec, destination: TargetSpec });
const uploadFile = z.strictObject({ target: TargetSpec, files: z.array(z.string().min(1)).min(1) });
const executeScript = z.strictObject({
  script: z.string().min(1),
  args: z.array(z.unknown()).max(20).optional(),
});
/** A key on its own ("Enter", "Escape", "Control+A"), to the focused element or to a target. */
const press = z.strictObject({ key: z.string().min(1).max(40), target: TargetSpec.optional() });
/** Sets a checkbox, radio or switch; unlike a click, checking a checked box leaves it checked. */
const check = z.strictObject({ target: TargetSpec, checked: z.boolean().default(true) });
const history = z.strictObject({ wait_until: WaitUntil.optional() });
/** How to answer the page's JavaScript dialog (alert, confirm, prompt): the open one, or the next. */
const dialog = z.strictObject({ accept: z.boolean(), prompt_text: z.string().max(10_000).optional() });
/** Makes another tab (a popup the page opened, say) the one the next steps act on. */
const switchTab = z
  .strictObject({
    index: z.number().int().min(0).max(100).optional(),
    url_contains: z.string().min(1).optional(),
    title_contains: z.string().min(1).optional(),
  })
  .refine(
    (p) => p.index !== undefined || p.url_contains || p.title_contains,
    "give index, url_contains or title_contains",
  );
const closeTab = z.strictObject({ index: z.number().int().min(0).max(100).optional() });
/** Several fields in one step: text for text fields and selects, true/false for checkboxes and radios. */
const fillForm = z.strictObject({
  fields: z
    .array(
      z.strictObject({
        target: TargetSpec,
        value: z.union([z.string(), z.boolean()]),
        secret: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(50),
});

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
  press,
  check,
  go_back: history,
  go_forward: history,
  reload: history,
  dialog,
  switch_tab: switchTab,
  close_tab: closeTab,
  fill_form: fillForm,
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
