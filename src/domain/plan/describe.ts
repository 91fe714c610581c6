import type { ActionType, ParamsOf } from "./actions.js";
import { recordableText } from "./secrets.js";
import type { TargetSpec } from "./target.js";

export function describeTarget(target: TargetSpec | undefined): string {
  if (!target) return "";
  const base = target.description ?? target.role ?? target.css ?? target.xpath ?? target.ref ?? "";
  const nth = target.nth ? `${ordinal(target.nth)} ` : "";
  return `${nth}${base}${target.within ? ` in "${target.within}"` : ""}`;
}

const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n % 100 !== 11 ? "st" : n % 10 === 2 && n % 100 !== 12 ? "nd" : n % 10 === 3 && n % 100 !== 13 ? "rd" : "th"}`;

/** What a step does: its action and that action's params. */
type Described = { [A in ActionType]: { action: A; params: ParamsOf<A> } }[ActionType];

/** A sentence for a step that has none, from its action and parameters. */
export function describeStep(step: Described): string {
  switch (step.action) {
    case "navigate":
      return `Go to ${step.params.url}`;
    case "click": {
      const how =
        step.params.click_count === 2
          ? "Double-click"
          : step.params.button === "right"
            ? "Right-click"
            : "Click";
      return `${how} ${describeTarget(step.params.target)}`;
    }
    case "type": {
      const p = step.params;
      const target = describeTarget(p.target);
      return p.text !== undefined
        ? `Type ${JSON.stringify(recordableText(p.text, p.secret))} into ${target}${p.key ? ` and press ${p.key}` : ""}`
        : `Press ${p.key}${target ? ` in ${target}` : ""}`;
    }
    case "assert":
      return describeAssert(step.params);
    case "wait": {
      const p = step.params;
      if (p.ms !== undefined) return `Wait ${p.ms} ms`;
      if (p.for) return `Wait for ${p.for}`;
      if (p.text) return `Wait for "${p.text}" to appear`;
      if (p.not_text) return `Wait for "${p.not_text}" to go`;
      return `Wait for ${describeTarget(p.target)}`;
    }
    case "scroll":
      return step.params.target
        ? `Scroll to ${describeTarget(step.params.target)}`
        : `Scroll to ${step.params.x ?? 0},${step.params.y ?? 0}`;
    case "select":
      return `Select ${step.params.values.join(", ")} in ${describeTarget(step.params.target)}`;
    case "hover":
      return `Hover over ${describeTarget(step.params.target)}`;
    case "drag_drop":
      return `Drag ${describeTarget(step.params.source)} to ${describeTarget(step.params.destination)}`;
    case "upload_file":
      return `Upload ${step.params.files.join(", ")} to ${describeTarget(step.params.target)}`;
    case "execute_script":
      return "Run a script";
    case "press":
      return `Press ${step.params.key}${step.params.target ? ` in ${describeTarget(step.params.target)}` : ""}`;
    case "check":
      return `${step.params.checked === false ? "Uncheck" : "Check"} ${describeTarget(step.params.target)}`;
    case "go_back":
      return "Go back";
    case "go_forward":
      return "Go forward";
    case "reload":
      return "Reload the page";
    case "dialog":
      return `${step.params.accept ? "Accept" : "Dismiss"} the dialog`;
    case "switch_tab": {
      const p = step.params;
      return `Switch to the tab ${p.index ?? (p.url_contains ? `at ${p.url_contains}` : `titled ${p.title_contains}`)}`;
    }
    case "close_tab":
      return step.params.index === undefined ? "Close the tab" : `Close tab ${step.params.index}`;
    case "fill_form":
      return `Fill in ${step.params.fields.map((f) => describeTarget(f.target)).join(", ")}`;
  }
}

function describeAssert(p: Extract<Described, { action: "assert" }>["params"]): string {
  const target = describeTarget(p.target);
  if (p.url_contains) return `The URL contains ${p.url_contains}`;
  if (p.title_contains) return `The title contains ${p.title_contains}`;
  if (p.count !== undefined) return `${p.count} × ${target}`;
  if (p.checked !== undefined) return `${target} is ${p.checked ? "checked" : "not checked"}`;
  if (p.visible === false) return `${target} is not visible`;
  if (p.visible === true) return `${target} is visible`;
  if (p.value !== undefined) return `${target} has the value ${JSON.stringify(p.value)}`;
  if (p.request)
    return `A request to ${p.request.url}${p.request.status ? ` answered ${p.request.status}` : ""}`;
  if (p.not_text) return `Expect not to see ${p.not_text}${target ? ` in ${target}` : ""}`;
  return `Expect to see ${p.text}${target ? ` in ${target}` : ""}`;
}

/** What names a step for its id: the action and what it acts on, so ids stay when steps are added. */
export function stepKeyText(step: Described): string {
  const p = step.params as { target?: TargetSpec; source?: TargetSpec };
  const spec = p.target ?? p.source;
  // "the Delete button next to Bread" and "... next to Eggs" are different steps: the entry is in the id.
  const base = spec ? (spec.description ?? spec.role ?? spec.css ?? spec.xpath ?? spec.ref ?? "") : "";
  const target = [base, spec?.within, spec?.nth ? `${spec.nth}` : undefined].filter(Boolean).join(" ");
  if (target) return `${step.action} ${target}`;
  switch (step.action) {
    case "navigate":
      return `${step.action} ${step.params.url}`;
    case "assert": {
      const a = step.params;
      return `${step.action} ${a.text ?? a.not_text ?? a.url_contains ?? a.title_contains ?? ""}`;
    }
    case "press":
      return `${step.action} ${step.params.key}`;
    default:
      return step.action;
  }
}
