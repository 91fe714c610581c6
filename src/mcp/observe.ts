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
/** What a list or table shows: an agent checks what it added or changed by these texts. */
const CONTENT = new Set(["listitem", "cell", "gridcell", "rowheader", "columnheader"]);
/** A short text with a number in it ("2 items left", "Total: 3"): counters and totals. */
const isCounter = (text: string) => text.length <= 40 && /\d/.test(text) && /\p{L}/u.test(text);

/** Whether an agent needs this node to decide its next step or to check the last one. */
function worthShowing(n: AccessibilityNode, byRef: Map<string, AccessibilityNode[]>): boolean {
  if (INTERACTIVE.has(n.role) || LANDMARK.has(n.role)) return !!(n.name || n.text || n.value);
  const text = n.text.trim();
  if (!text) return false;
  if (CONTENT.has(n.role)) {
    // A list item that only wraps a link or button of the same text adds nothing (navigation lists).
    const children = byRef.get(n.ref) ?? [];
    return !children.some((c) => INTERACTIVE.has(c.role) && (c.name || c.text).trim() === text);
  }
  return (n.role === "text" || n.role === "generic") && isCounter(text);
}

/**
 * A bare number styled apart from its words (TodoMVC's `<strong>2</strong> items left`) read with the text
 * nodes after it, so that a counter shows as "2 items left" rather than "2".
 */
function withCounters(nodes: AccessibilityNode[]): AccessibilityNode[] {
  return nodes.map((n, i) => {
    if (n.role !== "text" || !/^\d[\d.,]*$/.test(n.text.trim())) return n;
    const words: string[] = [n.text.trim()];
    for (const next of nodes.slice(i + 1, i + 5)) {
      if (next.role !== "text" || next.parentRef !== n.parentRef || /\d/.test(next.text)) break;
      words.push(next.text.trim());
    }
    const text = words.join(" ");
    return text === n.text ? n : { ...n, name: text, text };
  });
}

/** The same URL but for its fragment: a hash route change redraws part of a page, not a new page. */
const samePage = (a: string, b: string) => a.split("#")[0] === b.split("#")[0];

export interface PageObservation {
  url: string;
  title: string;
  elements: { role: string; name: string; value?: string; states?: string[]; level?: number }[];
  /** Elements left out to stay within the budget. */
  omitted: number;
  js_errors: number;
}

const MASK = "••••";

/** Text with every secret the agent typed replaced: a secret is never shown back, even in a plain field. */
export function masked(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join(MASK);
  return out;
}

function maskedNode(n: AccessibilityNode, secrets: readonly string[]): AccessibilityNode {
  return {
    ...n,
    name: masked(n.name, secrets),
    text: masked(n.text, secrets),
    ...(n.value ? { value: masked(n.value, secrets) } : {}),
  };
}

/** A field's value as an agent may see it: a password field's never, whatever the page put in it. */
function shownValue(n: AccessibilityNode): string | undefined {
  if (!n.value) return undefined;
  return n.attributes.type?.toLowerCase() === "password" ? MASK : n.value.slice(0, 40);
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
  secrets: readonly string[] = [],
): Promise<{ observation: PageObservation; text: string }> {
  return observationOf(
    await session.accessibilitySnapshot(),
    session.jsErrors().length,
    budgetTokens,
    full,
    secrets,
  );
}

/** The same, of an accessibility snapshot already taken (the executor takes one after an agent's step). */
export function observationOf(
  snapshot: AccessibilitySnapshot,
  errors: number,
  budgetTokens: number,
  full = false,
  secrets: readonly string[] = [],
): { observation: PageObservation; text: string } {
  const byParent = new Map<string, AccessibilityNode[]>();
  for (const n of snapshot.nodes)
    if (n.parentRef) byParent.set(n.parentRef, [...(byParent.get(n.parentRef) ?? []), n]);
  const joined = withCounters(snapshot.nodes);
  const nodes = secrets.length === 0 ? joined : joined.map((n) => maskedNode(n, secrets));
  const chosen = full ? nodes : nodes.filter((n) => worthShowing(n, byParent));
  const budget = budgetTokens * 4;
  const header = masked(`${snapshot.title} — ${snapshot.url}`, secrets);
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
    const value = shownValue(n);
    elements.push({
      role: n.role,
      name: n.name || n.text.slice(0, 60),
      ...(value ? { value } : {}),
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
  if (!previous || !samePage(previous.observation.url, current.observation.url)) {
    return { text: current.text, changed: "new_page", added: [], removed: [] };
  }
  const before = previous.text.split("\n").slice(1);
  const after = current.text.split("\n").slice(1);
  const moved =
    previous.observation.url !== current.observation.url ? [`URL now ${current.observation.url}`] : [];
  const count = (lines: string[]) => {
    const m = new Map<string, number>();
    for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
    return m;
  };
  const a = count(before);
  const b = count(after);
  const added = [...b].flatMap(([l, n]) => Array(Math.max(0, n - (a.get(l) ?? 0))).fill(l) as string[]);
  const removed = [...a].flatMap(([l, n]) => Array(Math.max(0, n - (b.get(l) ?? 0))).fill(l) as string[]);
  if (added.length === 0 && removed.length === 0 && moved.length === 0)
    return { text: "Page unchanged.", changed: "unchanged", added, removed };
  return {
    text: [...moved, ...added.map((l) => `+ ${l}`), ...removed.map((l) => `- ${l}`)].join("\n"),
    changed: "changed",
    added,
    removed,
  };
}
