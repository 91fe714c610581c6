import type { TargetSpec } from "../plan/model.js";
import { MASK } from "../plan/secrets.js";

type Params = Record<string, unknown>;

/** A target as one reads it back: `button "Sign in"`, `checkbox in "Feed the cat"`, `css #q`. */
export function renderTarget(t: unknown): string {
  if (t === undefined) return "";
  if (typeof t === "string") return `"${t}"`;
  const s = t as TargetSpec;
  const parts = [
    s.role,
    s.description !== undefined ? `"${s.description}"` : undefined,
    s.css !== undefined ? `css ${s.css}` : undefined,
    s.xpath !== undefined ? `xpath ${s.xpath}` : undefined,
    s.ref !== undefined ? `ref ${s.ref}` : undefined,
  ].filter(Boolean);
  return `${parts.join(" ")}${s.nth ? ` #${s.nth}` : ""}${s.within ? ` in "${s.within}"` : ""}`;
}

const typed = (p: Params) => (p.secret ? MASK : JSON.stringify(String(p.text)));

/**
 * One line that says what a step will do, from its action and parameters (secrets masked): what `testdriver
 * plan` prints beside each sentence and what progress lines show during a run.
 */
export function renderStep(action: string, p: Params): string {
  const t = renderTarget(p.target);
  switch (action) {
    case "navigate":
      return `open ${p.url}`;
    case "click": {
      const how = p.click_count === 2 ? "double-click" : p.button === "right" ? "right-click" : "click";
      const mods =
        Array.isArray(p.modifiers) && p.modifiers.length ? `${(p.modifiers as string[]).join("+")}+` : "";
      return `${mods}${how} ${t}`;
    }
    case "type":
      if (p.text === undefined) return `press ${p.key}${t ? ` in ${t}` : ""}`;
      return `type ${typed(p)} into ${t}${p.key ? `, then press ${p.key}` : ""}`;
    case "press":
      return `press ${p.key}${t ? ` in ${t}` : ""}`;
    case "check":
      return `${p.checked === false ? "uncheck" : "check"} ${t}`;
    case "select":
      return `select ${(p.values as string[]).map((v) => JSON.stringify(v)).join(", ")} in ${t}`;
    case "hover":
      return `hover ${t}`;
    case "drag_drop":
      return `drag ${renderTarget(p.source)} onto ${renderTarget(p.destination)}`;
    case "upload_file":
      return `upload ${(p.files as string[]).join(", ")} to ${t}`;
    case "scroll":
      return t ? `scroll to ${t}` : `scroll to y=${p.y ?? 0}`;
    case "wait":
      if (p.ms !== undefined) return `wait ${p.ms} ms`;
      if (p.text !== undefined) return `wait for text ${JSON.stringify(p.text)}`;
      if (p.not_text !== undefined) return `wait until text ${JSON.stringify(p.not_text)} is gone`;
      if (p.for) return `wait for ${String(p.for).replace("_", " ")}`;
      return `wait for ${t}`;
    case "assert":
      return renderCheck(p, t);
    case "dialog":
      return `${p.accept ? "accept" : "dismiss"} the dialog${p.prompt_text !== undefined ? ` answering ${JSON.stringify(p.prompt_text)}` : ""}`;
    case "switch_tab":
      return `switch to tab ${p.index !== undefined ? Number(p.index) + 1 : `titled ${JSON.stringify(p.title_contains ?? p.url_contains)}`}`;
    case "close_tab":
      return p.index === undefined ? "close the tab" : `close tab ${Number(p.index) + 1}`;
    case "go_back":
      return "go back";
    case "go_forward":
      return "go forward";
    case "reload":
      return "reload the page";
    case "fill_form":
      return `fill in ${(p.fields as { target: unknown; value: unknown; secret?: boolean }[])
        .map((f) => `${renderTarget(f.target)} = ${f.secret ? MASK : JSON.stringify(f.value)}`)
        .join(", ")}`;
    default:
      return action;
  }
}

function renderCheck(p: Params, t: string): string {
  if (p.url_contains !== undefined) return `expect the URL to contain ${p.url_contains}`;
  if (p.title_contains !== undefined)
    return `expect the title to contain ${JSON.stringify(p.title_contains)}`;
  if (p.count !== undefined) return `expect ${p.count} × ${t}`;
  if (p.checked !== undefined) return `expect ${t} ${p.checked ? "checked" : "unchecked"}`;
  if (p.value !== undefined) return `expect ${t} to hold ${JSON.stringify(p.value)}`;
  if (p.text !== undefined) return `expect text ${JSON.stringify(p.text)}${t ? ` in ${t}` : ""}`;
  if (p.not_text !== undefined) return `expect no text ${JSON.stringify(p.not_text)}${t ? ` in ${t}` : ""}`;
  if (p.visible !== undefined) return `expect ${t} ${p.visible ? "visible" : "not visible"}`;
  return "check";
}
