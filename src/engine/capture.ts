import type { ObservedData } from "../domain/run/commands.js";
import { consoleErrorsOf, failedRequestsOf, type StateSnapshot } from "../ports/page.js";
import type { LiveRun } from "./live-run.js";
import { settle } from "./settle.js";

/** What went wrong on the page so far, for the report: console errors, JS exceptions, failed requests. */
function pageProblems(state: StateSnapshot) {
  const consoleErrors = [...consoleErrorsOf(state), ...state.jsErrors.map((e) => e.message)]
    .slice(-20)
    .map((t) => t.slice(0, 300));
  const failed = failedRequestsOf(state)
    .slice(-20)
    .map((r) => ({
      url: r.url.slice(0, 500),
      method: r.method,
      ...(r.status !== undefined ? { status: r.status } : {}),
      ...(r.failure ? { failure: r.failure.slice(0, 200) } : {}),
    }));
  return {
    ...(consoleErrors.length ? { console_errors: consoleErrors } : {}),
    ...(failed.length ? { failed_requests: failed } : {}),
  };
}

/**
 * The page's state after a step, stored by content; the screenshot on failure, or always if configured.
 * The snapshot blob only: td_snapshot_index is a projection of SnapshotCaptured, kept off the hot path.
 */
export async function captureAfterStep(
  run: LiveRun,
  index: number,
  failed: boolean,
): Promise<ObservedData<"SnapshotCaptured">> {
  const { session, services } = run;
  await settle(session);
  const state = await session.captureState({
    runId: run.runId,
    stepId: run.step(index).step_id,
    executedSteps: run.executed,
    blobs: failed || services.screenshots === "all" ? services.blobs : undefined,
    secrets: run.secretValues(),
  });
  const hash = await services.snapshots.put(state);
  return {
    index,
    snapshot_hash: hash,
    screenshot_hash: state.screenshotHash,
    url: state.url,
    title: state.pageTitle,
    dom_hash: state.domHash,
    ...pageProblems(state),
  };
}
