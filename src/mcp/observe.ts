import type { AccessibilityNode, BrowserSession } from "../adapters/browser/types.js";

const INTERACTIVE = new Set([
  "button",
  "link",
  "textbox",
  "searchbox",
  "checkbox",
  "radio",
  "combobox",
  "listbox",
  "option",
  "switch",
  "slider",
  "spinbutton",
  "tab",
  "menuitem",
]);
const LANDMARK = new Set(["heading", "alert", "status", "dialog", "alertdialog"]);

export interface PageObservation {
  url: string;
  title: string;
  elements: { role: string; name: string; value?: string; states?: string[]; level?: number }[];
  /** Elements left out to stay within the budget. */
  omitted: number;
  js_errors: number;
}

function line(n: AccessibilityNode): string {
  const states = Object.entries(n.states)
    .filter(([, v]) => v === true || v === "mixed")
    .map(([k]) => k);
  return `${n.role}${n.level ? ` h${n.level}` : ""} "${n.name || n.text.slice(0, 60)}"${n.value ? ` value="${n.value.slice(0, 40)}"` : ""}${states.length ? ` (${states.join(", ")})` : ""}`;
}

/**
 * What an agent needs of a page to decide its next step: headings, alerts and the elements it can act on,
 * in page order, within a token budget (about four characters a token). `full` gives every node.
 */
export async function observePage(
  session: BrowserSession,
  budgetTokens: number,
  full = false,
): Promise<{ observation: PageObservation; text: string }> {
  const snapshot = await session.accessibilitySnapshot();
  const chosen = full
    ? snapshot.nodes
    : snapshot.nodes.filter(
        (n) => (INTERACTIVE.has(n.role) || LANDMARK.has(n.role)) && (n.name || n.text || n.value),
      );
  const budget = budgetTokens * 4;
  const header = `${snapshot.title} — ${snapshot.url}`;
  let used = header.length;
  const lines: string[] = [];
  const elements: PageObservation["elements"] = [];
  for (const n of chosen) {
    const text = line(n);
    if (!full && used + text.length + 1 > budget) break;
    used += text.length + 1;
    lines.push(text);
    const states = Object.entries(n.states)
      .filter(([, v]) => v === true || v === "mixed")
      .map(([k]) => k);
    elements.push({
      role: n.role,
      name: n.name || n.text.slice(0, 60),
      ...(n.value ? { value: n.value } : {}),
      ...(states.length ? { states } : {}),
      ...(n.level ? { level: n.level } : {}),
    });
  }
  const omitted = chosen.length - elements.length;
  const errors = session.jsErrors().length;
  const tail = [
    ...(omitted > 0 ? [`… ${omitted} more elements: call testdriver.describeScreen with detail "full"`] : []),
    ...(errors > 0 ? [`${errors} JavaScript error(s) on the page`] : []),
  ];
  return {
    observation: { url: snapshot.url, title: snapshot.title, elements, omitted, js_errors: errors },
    text: [header, ...lines, ...tail].join("\n"),
  };
}
