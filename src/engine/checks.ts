import { performance } from "node:perf_hooks";
import { matchAll } from "../domain/locate/match.js";
import type { ParamsOf, TargetSpec } from "../domain/plan/model.js";
import type { BrowserSession, Target } from "../ports/browser.js";
import { checkRequest } from "./quality/api-check.js";
import { StepFailure } from "./step-failure.js";

export const normalize = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * Polls `check` until it holds or time runs out; returns how long it took, or throws with the last reason.
 * Such a failure is not retried: the check already waited its whole timeout.
 */
export async function until(check: () => Promise<string | true>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const result = await check().catch((e: Error) => e.message);
    if (result === true) return performance.now() - started;
    if (performance.now() - started >= timeoutMs)
      throw new StepFailure(`${result} (waited ${timeoutMs} ms)`, false);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The page shows `expected` (an assert's text, a step's expected outcome, a wait for text). */
export const pageShows = (session: BrowserSession, expected: string, timeoutMs: number) => {
  const wanted = normalize(expected);
  return until(
    async () => (normalize(await session.pageText()).includes(wanted) ? true : `"${wanted}" is not shown`),
    timeoutMs,
  );
};

/** The page no longer shows `unwanted`. */
export const pageHides = (session: BrowserSession, unwanted: string, timeoutMs: number) => {
  const text = normalize(unwanted);
  return until(
    async () => (!normalize(await session.pageText()).includes(text) ? true : `"${text}" is still shown`),
    timeoutMs,
  );
};

type AssertParams = ParamsOf<"assert">;

/**
 * An assert step's checks, each polled until it holds; returns what was checked, for the report. `find`
 * locates the target (waiting and healing as every step does); a count matches every element like it.
 */
export async function runAssert(
  p: AssertParams,
  session: BrowserSession,
  find: (spec: TargetSpec) => Promise<Target>,
  timeoutMs: number,
): Promise<{ checked: string; waitedMs: number }> {
  const checks: string[] = [];
  let waited = 0;
  const wait = async (what: string, check: () => Promise<string | true>) => {
    waited += await until(check, timeoutMs);
    checks.push(what);
  };
  if (p.count !== undefined && p.target) {
    const spec = p.target;
    await wait(`${p.count} matching elements`, async () => {
      const n = matchAll((await session.accessibilitySnapshot()).nodes, spec).length;
      return n === p.count ? true : `${n} elements match, expected ${p.count}`;
    });
    return { checked: checks.join("; "), waitedMs: waited };
  }
  const target = p.target ? await find(p.target) : undefined;
  const textOf = async () => normalize(target ? await session.textOf(target) : await session.pageText());
  if (p.text !== undefined) {
    const wanted = normalize(p.text);
    await wait(`text "${wanted}" shown`, async () =>
      (await textOf()).includes(wanted) ? true : `text "${wanted}" not shown`,
    );
  }
  if (p.not_text !== undefined) {
    const unwanted = normalize(p.not_text);
    await wait(`text "${unwanted}" not shown`, async () =>
      !(await textOf()).includes(unwanted) ? true : `text "${unwanted}" is still shown`,
    );
  }
  if (p.url_contains !== undefined) {
    const part = p.url_contains;
    await wait(`URL contains ${part}`, async () => {
      const url = await session.currentUrl();
      return url.includes(part) ? true : `URL ${url} does not contain ${part}`;
    });
  }
  if (p.title_contains !== undefined) {
    const part = p.title_contains;
    await wait(`title contains "${part}"`, async () => {
      const title = await session.title();
      return title.includes(part) ? true : `title "${title}" does not contain "${part}"`;
    });
  }
  if (p.request !== undefined) {
    const want = p.request;
    const status = want.status ? ` answered ${want.status}` : "";
    await wait(
      `request to ${want.url}${status}${want.json_schema ? " with a valid JSON body" : ""}`,
      async () => checkRequest(session, want),
    );
  }
  if (target && p.visible !== undefined) {
    const want = p.visible;
    await wait(want ? "element visible" : "element not visible", async () => {
      const state = await session.actionability(target);
      const visible = state.found && state.visible === true;
      return visible === want ? true : `element is ${visible ? "visible" : "not visible"}`;
    });
  }
  if (target && p.checked !== undefined) {
    const want = p.checked;
    await wait(want ? "element checked" : "element not checked", async () => {
      const checked = (await session.describe(target))?.states.checked === true;
      return checked === want ? true : `element is ${checked ? "checked" : "not checked"}`;
    });
  }
  if (target && p.value !== undefined) {
    const want = p.value;
    await wait(`value is "${want}"`, async () => {
      const value = await session.textOf(target);
      return value === want ? true : `value is "${value}", expected "${want}"`;
    });
  }
  return { checked: checks.join("; "), waitedMs: waited };
}
