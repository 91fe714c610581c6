import type { AccessibilityNode, AccessibilitySnapshot, BrowserSession } from "../ports/browser.js";

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

/** A field's value as an agent may see it: a password field's never, whatever the page put in it. */
function shownValue(n: AccessibilityNode): string | undefined {
  if (!n.value) return undefined;
  return n.attributes.type?.toLowerCase() === "password" ? "••••" : n.value.slice(0, 40);
}

function line(n: AccessibilityNode): string {
  const states = Object.entries(n.states)
    .filter(([, v]) => v === true || v === "mixed")
    .map(([k]) => k);
  return `${n.role}${n.level ? ` h${n.level}` : ""} "${n.name || n.text.slice(0, 60)}"${shownValue(n) ? ` value="${shownValue(n)}"` : ""}${states.length ? ` (${states.join(", ")})` : ""}`;
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
  return observationOf(await session.accessibilitySnapshot(), session.jsErrors().length, budgetTokens, full);
}

/** The same, of an accessibility snapshot already taken (the executor takes one after an agent's step). */
export function observationOf(
  snapshot: AccessibilitySnapshot,
  errors: number,
  budgetTokens: number,
  full = false,
): { observation: PageObservation; text: string } {
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
      ...(shownValue(n) ? { value: shownValue(n) } : {}),
      ...(states.length ? { states } : {}),
      ...(n.level ? { level: n.level } : {}),
    });
  }
  const omitted = chosen.length - elements.length;
  const tail = [
    ...(omitted > 0 ? [`… ${omitted} more elements: call describe_screen with detail "full"`] : []),
    ...(errors > 0 ? [`${errors} JavaScript error(s) on the page`] : []),
  ];
  return {
    observation: { url: snapshot.url, title: snapshot.title, elements, omitted, js_errors: errors },
    text: [header, ...lines, ...tail].join("\n"),
  };
}

/**
 * What changed on the page since the agent last saw it: the whole observation after a navigation, the
 * elements that appeared and went otherwise, nothing when nothing did. Keeps results small on long sessions.
 */
export function pageDelta(
  previous: { observation: PageObservation; text: string } | undefined,
  current: { observation: PageObservation; text: string },
): { text: string; changed: "new_page" | "changed" | "unchanged"; added: string[]; removed: string[] } {
  if (!previous || previous.observation.url !== current.observation.url) {
    return { text: current.text, changed: "new_page", added: [], removed: [] };
  }
  const before = previous.text.split("\n").slice(1);
  const after = current.text.split("\n").slice(1);
  const count = (lines: string[]) => {
    const m = new Map<string, number>();
    for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
    return m;
  };
  const a = count(before);
  const b = count(after);
  const added = [...b].flatMap(([l, n]) => Array(Math.max(0, n - (a.get(l) ?? 0))).fill(l) as string[]);
  const removed = [...a].flatMap(([l, n]) => Array(Math.max(0, n - (b.get(l) ?? 0))).fill(l) as string[]);
  if (added.length === 0 && removed.length === 0)
    return { text: "Page unchanged.", changed: "unchanged", added, removed };
  return {
    text: [...added.map((l) => `+ ${l}`), ...removed.map((l) => `- ${l}`)].join("\n"),
    changed: "changed",
    added,
    removed,
  };
}
