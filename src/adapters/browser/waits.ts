import { performance } from "node:perf_hooks";
import type { BoundingBox, BrowserSession, Target, WaitOptions, WaitResult } from "../../ports/browser.js";

export type { WaitOptions, WaitResult } from "../../ports/browser.js";

import { compareScreens } from "./visual-diff.js";

const DEFAULT_TIMEOUT = 30_000;
const DEFAULT_INTERVAL = 50;

/**
 * Polls `probe` until it reports done or the time runs out. The probe returns the state it saw and, when
 * not done yet, why; the last of those becomes the reason of a timeout.
 */
export async function poll<S>(
  probe: () => Promise<{ done: boolean; state?: S; why?: string }>,
  options: WaitOptions & { name: string },
): Promise<WaitResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL;
  const started = performance.now();
  let attempts = 0;
  let last: { done: boolean; state?: S; why?: string } = { done: false };
  for (;;) {
    attempts++;
    try {
      last = await probe();
    } catch (error) {
      last = { done: false, why: (error as Error).message };
      if ((error as Error).name === "BrowserCrashedError") {
        return { success: false, durationMs: performance.now() - started, attempts, reason: last.why ?? "" };
      }
    }
    const elapsed = performance.now() - started;
    if (last.done) {
      return {
        success: true,
        durationMs: elapsed,
        attempts,
        reason: `${options.name} reached`,
        finalState: last.state,
      };
    }
    if (elapsed + intervalMs > timeoutMs) {
      return {
        success: false,
        durationMs: elapsed,
        attempts,
        reason: `${options.name} not reached within ${timeoutMs} ms${last.why ? `: ${last.why}` : ""}`,
        finalState: last.state,
      };
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** No request in flight (or at most `maxInflight`) for `idleMs` in a row. */
export function waitForNetworkIdle(
  session: BrowserSession,
  options: WaitOptions & { idleMs?: number; maxInflight?: number } = {},
): Promise<WaitResult> {
  const idleMs = options.idleMs ?? 500;
  const maxInflight = options.maxInflight ?? 0;
  let idleSince: number | undefined;
  return poll(
    async () => {
      const pending = session.pendingRequests();
      const now = performance.now();
      if (pending.length > maxInflight) {
        idleSince = undefined;
        return {
          done: false,
          state: pending,
          why: `${pending.length} request(s) in flight: ${pending.slice(0, 3).join(", ")}`,
        };
      }
      idleSince ??= now;
      return { done: now - idleSince >= idleMs, state: pending, why: "idle, but not for long enough yet" };
    },
    { ...options, name: "network idle" },
  );
}

/** No DOM mutation for `quietMs`: the page has stopped rendering. */
export function waitForDomQuiescence(
  session: BrowserSession,
  options: WaitOptions & { quietMs?: number } = {},
): Promise<WaitResult> {
  const quietMs = options.quietMs ?? 300;
  return poll(
    async () => {
      const state = await session.pageState();
      const quietFor = state.now - state.lastMutation;
      return { done: quietFor >= quietMs, state, why: `last DOM mutation ${quietFor} ms ago` };
    },
    { ...options, name: "DOM quiescence" },
  );
}

/** The element exists, is visible, has stopped moving, is enabled and is not covered by another element. */
export function waitForActionable(
  session: BrowserSession,
  target: Target,
  options: WaitOptions = {},
): Promise<WaitResult> {
  return poll(
    async () => {
      const state = await session.actionability(target);
      return { done: state.found && state.ok === true, state, why: state.reason };
    },
    { ...options, name: `${JSON.stringify(target)} actionable` },
  );
}

/** Consecutive screenshots agree to within `threshold` (share of unchanged cells). */
export function waitForVisualStability(
  session: BrowserSession,
  options: WaitOptions & { threshold?: number; consecutive?: number; region?: BoundingBox } = {},
): Promise<WaitResult> {
  const threshold = options.threshold ?? 0.999;
  const needed = options.consecutive ?? 2;
  let previous: Buffer | undefined;
  let streak = 0;
  return poll(
    async () => {
      const shot = await session.screenshot();
      if (!previous) {
        previous = shot;
        return { done: false, why: "first screenshot taken" };
      }
      const diff = compareScreens(previous, shot, { region: options.region });
      previous = shot;
      streak = diff.similarity >= threshold ? streak + 1 : 0;
      return {
        done: streak >= needed,
        state: diff,
        why: `similarity ${diff.similarity.toFixed(4)} (${diff.changedCells} of ${diff.totalCells} cells changed), threshold ${threshold}`,
      };
    },
    { intervalMs: 100, ...options, name: "visual stability" },
  );
}

/** Any condition the caller can check. */
export function waitForCondition(
  name: string,
  condition: () => Promise<boolean> | boolean,
  options: WaitOptions = {},
): Promise<WaitResult> {
  return poll(async () => ({ done: await condition(), why: "condition false" }), { ...options, name });
}
