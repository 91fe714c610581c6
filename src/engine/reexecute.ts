import { planWithRecordedLocators } from "../domain/run/recorded-plan.js";
import type { RunDetails } from "../projections/run-report/details.js";
import type { TestEngine } from "./engine.js";

export interface StepComparison {
  index: number;
  step_id: string;
  original: { status: string; locator: string | null; detail: string | null };
  replay: { status: string; locator: string | null; detail: string | null };
  same: boolean;
}

const locatorText = (s: RunDetails["steps"][number] | undefined) => {
  const l = s?.located.find((x) => x.role === "target") ?? s?.located[0];
  return l ? l.locator.selector || l.locator.xpath || null : null;
};
const succeeded = (status: string | undefined) => status === "passed" || status === "healed";

/** Compares two runs of the same steps, step by step: same outcome and same element. */
export function compareRuns(original: RunDetails, replay: RunDetails): StepComparison[] {
  return original.steps.map((o) => {
    const r = replay.steps[o.index];
    const a = { status: o.status, locator: locatorText(o), detail: o.detail ?? o.error ?? null };
    const b = {
      status: r?.status ?? "missing",
      locator: locatorText(r),
      detail: r?.detail ?? r?.error ?? null,
    };
    return {
      index: o.index,
      step_id: o.step_id,
      original: a,
      replay: b,
      same: succeeded(a.status) === succeeded(b.status) && a.locator === b.locator,
    };
  });
}

/**
 * Runs a recorded run's steps again, every element pinned to the locator the original resolved (no search,
 * no model), as a new run linked to the original.
 */
export async function startReexecution(
  engine: TestEngine,
  runId: string,
  options: { secrets?: Record<string, string> } = {},
) {
  const original = await engine.details(runId);
  if (original.status === "none") throw new Error(`no run ${runId}`);
  const { plan, pinned } = planWithRecordedLocators(original);
  const replayId = await engine.start({
    plan,
    driver: original.driver,
    applicationVersion: original.application_version,
    source: "replay",
    planner: "recorded",
    relatedRun: runId,
    requestedBy: "replay",
    secrets: options.secrets,
  });
  return {
    replayId,
    pinned,
    done: engine.execute(replayId).then((replay) => ({ replay, steps: compareRuns(original, replay) })),
  };
}
