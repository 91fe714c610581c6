import { performance } from "node:perf_hooks";
import type { BrowserSession } from "../ports/browser.js";

/**
 * Lets a navigation the last action started land, so that the page can be read: the one place that
 * waits for it (snapshots and what an agent is shown both read the page after this).
 */
export async function settle(session: BrowserSession, timeoutMs = 10_000): Promise<void> {
  const started = performance.now();
  for (;;) {
    try {
      await session.pageState();
      return;
    } catch (error) {
      const left = timeoutMs - (performance.now() - started);
      if ((error as Error).name === "BrowserCrashedError" || left <= 0) throw error;
      await session.waitForNavigation({ timeoutMs: Math.min(left, 5_000) }).catch(() => {});
    }
  }
}
