import { createHash } from "node:crypto";
import type { z } from "zod";
import type { TargetSpec, TestPlan, TestPlanInput, TestStep, TestStepInput } from "./model.js";
import { maskSecrets, recordableText, secretValues } from "./secrets.js";

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

export function describeTarget(target: TargetSpec | undefined): string {
  if (!target) return "";
  return (
    target.description ?? (target.role ? `${target.role}` : undefined) ?? target.css ?? target.xpath ?? ""
  );
}

/** A sentence for a step that has none, from its action and parameters. */
export function describeStep(action: string, params: Record<string, unknown>): string {
  const target = describeTarget(params.target as TargetSpec | undefined);
  switch (action) {
    case "navigate":
      return `Go to ${params.url}`;
    case "click":
      return `Click ${target}`;
    case "type":
      return params.text !== undefined
        ? `Type ${JSON.stringify(recordableText(String(params.text), params.secret as boolean))} into ${target}${params.key ? ` and press ${params.key}` : ""}`
        : `Press ${params.key}${target ? ` in ${target}` : ""}`;
    case "assert":
      if (params.url_contains) return `The URL contains ${params.url_contains}`;
      if (params.title_contains) return `The title contains ${params.title_contains}`;
      if (params.visible === false) return `${target} is not visible`;
      if (params.visible === true) return `${target} is visible`;
      if (params.value !== undefined) return `${target} has the value ${JSON.stringify(params.value)}`;
      if (params.not_text) return `Expect not to see ${params.not_text}${target ? ` in ${target}` : ""}`;
      return `Expect to see ${params.text}${target ? ` in ${target}` : ""}`;
    case "wait":
      return params.ms !== undefined
        ? `Wait ${params.ms} ms`
        : params.for
          ? `Wait for ${params.for}`
          : `Wait for ${target}`;
    case "scroll":
      return target ? `Scroll to ${target}` : `Scroll to ${params.x ?? 0},${params.y ?? 0}`;
    case "select":
      return `Select ${(params.values as string[]).join(", ")} in ${target}`;
    case "hover":
      return `Hover over ${target}`;
    case "drag_drop":
      return `Drag ${describeTarget(params.source as TargetSpec)} to ${describeTarget(params.destination as TargetSpec)}`;
    case "upload_file":
      return `Upload ${(params.files as string[]).join(", ")} to ${target}`;
    case "press":
      return `Press ${params.key}${target ? ` in ${target}` : ""}`;
    case "check":
      return `${params.checked === false ? "Uncheck" : "Check"} ${target}`;
    case "go_back":
      return "Go back";
    case "go_forward":
      return "Go forward";
    case "reload":
      return "Reload the page";
    case "dialog":
      return `${params.accept ? "Accept" : "Dismiss"} the dialog`;
    case "switch_tab":
      return `Switch to the tab ${params.index ?? params.url_contains ?? params.title_contains}`;
    case "close_tab":
      return params.index === undefined ? "Close the tab" : `Close tab ${params.index}`;
    case "fill_form":
      return `Fill in ${(params.fields as { target: TargetSpec }[]).map((f) => describeTarget(f.target)).join(", ")}`;
    default:
      return "Run a script";
  }
}

function stepKeyText(step: StepInput): string {
  const params = step.params as Record<string, unknown>;
  const spec = (params.target ?? params.source) as TargetSpec | undefined;
  // "the Delete button next to Bread" and "... next to Eggs" are different steps: the entry is in the id.
  const where = spec && typeof spec === "object" ? [spec.within, spec.nth ? `${spec.nth}` : undefined] : [];
  const target = [describeTarget(spec), ...where].filter(Boolean).join(" ");
  const extra =
    step.action === "navigate"
      ? String(params.url)
      : step.action === "assert"
        ? String(params.text ?? params.not_text ?? params.url_contains ?? params.title_contains ?? "")
        : "";
  return `${step.action} ${target || extra}`;
}

/** One step with its id (unique among `used`, which it joins) and description filled in. */
export function normalizeStep(s: StepInput, used: Set<string>): TestStep {
  const params = s.params as Record<string, unknown>;
  let id = s.step_id ?? slug(stepKeyText(s));
  if (used.has(id)) {
    let n = 2;
    while (used.has(`${id}-${n}`)) n++;
    id = `${id}-${n}`;
  }
  used.add(id);
  return {
    step_id: id,
    description: s.description ?? describeStep(s.action, params),
    action: s.action,
    params,
    ...(s.expected_outcome ? { expected_outcome: s.expected_outcome } : {}),
    timeout: s.timeout,
    retry_on_failure: s.retry_on_failure,
    max_retries: s.max_retries,
    critical: s.critical,
  };
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
 * The plan as it may be stored: secret literals masked, in the steps that type them and wherever else the
 * words of the plan repeat them (step descriptions and outcomes, the requirements text, the name).
 */
export function recordablePlan(plan: TestPlan): TestPlan {
  const all = [...plan.setup_steps, ...plan.test_steps, ...plan.teardown_steps];
  const secrets = secretValues(all);
  const hide = (text: string) => (secrets.length ? maskSecrets(text, secrets) : text);
  const mask = (s: TestStep): TestStep => {
    let params = s.params;
    if (s.action === "type" && s.params.secret && typeof s.params.text === "string")
      params = { ...s.params, text: recordableText(s.params.text, true) };
    if (s.action === "fill_form")
      params = {
        ...s.params,
        fields: (s.params.fields as { secret?: boolean; value: unknown }[]).map((f) =>
          f.secret && typeof f.value === "string" ? { ...f, value: recordableText(f.value, true) } : f,
        ),
      };
    return {
      ...s,
      params,
      description: hide(s.description),
      ...(s.expected_outcome ? { expected_outcome: hide(s.expected_outcome) } : {}),
    };
  };
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
