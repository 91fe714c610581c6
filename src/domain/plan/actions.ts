import { z } from "zod";
import { TargetSpec } from "./target.js";

/**
 * Each action's params, strict: a misspelt key (`secert: true`) is an error, never dropped. These schemas
 * are the params' types (`ParamsOf`), declared once.
 */

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

export type ActionType = keyof typeof PARAMS_BY_ACTION;
export const ACTION_TYPES = Object.keys(PARAMS_BY_ACTION) as [ActionType, ...ActionType[]];
export const ActionType = z.enum(ACTION_TYPES);
/** The params of one action, as validated (defaults filled in). */
export type ParamsOf<A extends ActionType> = z.output<(typeof PARAMS_BY_ACTION)[A]>;
