import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { ChromiumOptions } from "../adapters/browser/chromium.js";
import { PlaywrightDriver } from "../adapters/browser/playwright.js";
import type { Fingerprint } from "../domain/healing/fingerprint.js";
import { fingerprintsOf } from "../engine/locate-nodes.js";
import type { AccessibilityNode, BrowserSession } from "../ports/browser.js";
import {
  type CorpusPair,
  type CorpusTarget,
  removedOnRun,
  TODOMVC_PAIRS,
  TODOMVC_TARGETS,
  type TodoState,
  type Truth,
} from "./healing-todomvc-corpus.js";
import { serveStatic } from "./serve-static.js";

/** One target of a pair, captured in Chromium: what the plan recorded on A, and the page of B. */
export interface CapturedTarget {
  target: CorpusTarget;
  recorded: Fingerprint;
  /** B's snapshot as the engine sees it when healing this step. */
  nodes: AccessibilityNode[];
  candidates: Fingerprint[];
  /** Index of the right node on B; null when the element is not on B (it must be refused). */
  truth: number | null;
  viewportDiagonal: number;
}

const xpathString = (s: string) => (s.includes("'") ? `"${s}"` : `'${s}'`);
const rowXPath = (row: string) => `//ul[@id='todo-list']/li[.//label[normalize-space()=${xpathString(row)}]]`;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Opens an implementation with empty storage and brings it to the given state through its own UI. */
async function prepare(session: BrowserSession, base: string, impl: string, state: TodoState) {
  const url = `${base}/examples/${impl}/`;
  await session.navigate(url);
  await session.evaluate("(localStorage.clear(), true)");
  await session.navigate(`${url}#/`);
  await session.reload();
  await until(`${impl}'s new-todo input`, () => session.exists({ css: "#new-todo" }));
  for (const todo of state.todos) {
    await session.type({ css: "#new-todo" }, todo, { keystrokes: true });
    await session.press("Enter");
    await until(`row "${todo}" in ${impl}`, () => session.exists({ xpath: rowXPath(todo) }));
  }
  for (const todo of state.completed) {
    await session.click({ xpath: `${rowXPath(todo)}//input[contains(@class,'toggle')]` });
  }
  await session.evaluate("(document.activeElement && document.activeElement.blur(), true)");
}

/** The element a truth names, as an index into the snapshot: `count` says how many elements it matched. */
async function resolveTruth(
  session: BrowserSession,
  truth: Truth,
  nodes: AccessibilityNode[],
): Promise<{ count: number; index: number }> {
  const selectors = nodes.map((n) => (n.path.frames.length || n.path.hosts.length ? "" : n.path.selector));
  return session.evaluate(`(() => {
    const truth = ${JSON.stringify(truth)};
    const selectors = ${JSON.stringify(selectors)};
    let found = [];
    if (truth.row) {
      const rows = [...document.querySelectorAll("#todo-list > li")].filter(
        (li) => (li.querySelector("label")?.textContent ?? "").trim() === truth.row);
      found = rows.flatMap((li) => [...li.querySelectorAll(truth.css)]);
    } else found = [...document.querySelectorAll(truth.css)].filter((e) => e.getClientRects().length > 0);
    if (truth.text) found = found.filter((e) => e.textContent.trim() === truth.text);
    if (found.length !== 1) return { count: found.length, index: -1 };
    const index = selectors.findIndex((s) => { try { return !!s && document.querySelector(s) === found[0]; } catch { return false; } });
    return { count: 1, index };
  })()`);
}

/**
 * The snapshot the engine would heal against. A row's controls show only under the pointer, and the engine
 * hovers the row a step names; for a row gone from B it hovers another row, so that row's look-alike
 * controls are on the page to be (wrongly) chosen.
 */
async function snapshotFor(session: BrowserSession, target: CorpusTarget, rows: string[]) {
  const row = target.truth.row;
  if (row) {
    const hover = rows.includes(row) ? row : rows[0];
    if (hover) await session.hover({ xpath: `${rowXPath(hover)}//label` });
  } else await session.hover({ css: "#todoapp h1, header h1" });
  return (await session.accessibilitySnapshot()).nodes;
}

async function diagonal(session: BrowserSession) {
  const v = await session.getViewport();
  return Math.hypot(v.width, v.height);
}

async function capturePair(session: BrowserSession, base: string, pair: CorpusPair) {
  const name = `${pair.from}->${pair.to}`;
  await prepare(session, base, pair.from, pair.learned);
  const recorded: Fingerprint[] = [];
  for (const target of TODOMVC_TARGETS) {
    const nodes = await snapshotFor(session, target, pair.learned.todos);
    const { count, index } = await resolveTruth(session, target.truth, nodes);
    if (count !== 1 || index < 0) {
      throw new Error(
        `${name}: "${target.description}" matches ${count} element(s) on ${pair.from} (in snapshot: ${index >= 0})`,
      );
    }
    recorded.push(fingerprintsOf(nodes)[index]!);
  }
  await prepare(session, base, pair.to, pair.run);
  const out: CapturedTarget[] = [];
  for (const [i, target] of TODOMVC_TARGETS.entries()) {
    const nodes = await snapshotFor(session, target, pair.run.todos);
    const { count, index } = await resolveTruth(session, target.truth, nodes);
    if (count > 1 || (count === 1 && index < 0) || (count === 0) !== removedOnRun(pair, target)) {
      throw new Error(
        `${name}: "${target.description}" matches ${count} element(s) on ${pair.to} (in snapshot: ${index >= 0})`,
      );
    }
    out.push({
      target,
      recorded: recorded[i]!,
      nodes,
      candidates: fingerprintsOf(nodes),
      truth: count === 1 ? index : null,
      viewportDiagonal: await diagonal(session),
    });
  }
  return out;
}

/** Where the todomvc package is, or why the corpus cannot run. */
export function todomvcRoot(): string {
  return dirname(createRequire(import.meta.url).resolve("todomvc/package.json"));
}

/** Captures every pair of the corpus in Chromium with the engine's own snapshot and fingerprint code. */
export async function captureTodoMvc(
  chromium: ChromiumOptions,
  pairs: CorpusPair[] = TODOMVC_PAIRS,
): Promise<{ pair: CorpusPair; targets: CapturedTarget[] }[]> {
  if (!existsSync(chromium.executablePath ?? "")) {
    throw new Error(
      `the TodoMVC healing corpus needs Chromium, which is not at ${chromium.executablePath}; install it or set browser.chromiumPath (TESTDRIVER_CHROMIUM_PATH)`,
    );
  }
  const site = await serveStatic(todomvcRoot());
  const driver = new PlaywrightDriver(chromium);
  try {
    const session = await driver.newSession();
    try {
      const out = [];
      for (const pair of pairs) out.push({ pair, targets: await capturePair(session, site.url, pair) });
      return out;
    } finally {
      await session.close();
    }
  } finally {
    await driver.close();
    await site.close();
  }
}
