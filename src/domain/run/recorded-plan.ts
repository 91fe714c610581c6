import type { ElementLocator } from "../healing/fingerprint.js";
import type { TargetSpec, TestPlan, TestStep } from "../plan/model.js";
import type { Located, RunState } from "./state.js";

const ROLE_PARAM = { target: "target", source: "source", destination: "destination" } as const;

/** A recorded locator as a plan target, when a plan can express it (one frame at most, no shadow hosts). */
export function targetOfLocator(
  locator: ElementLocator,
): Pick<TargetSpec, "css" | "xpath" | "frame"> | undefined {
  if (locator.hosts.length > 0 || locator.frames.length > 1) return undefined;
  const frame = locator.frames[0] ? { frame: locator.frames[0] } : {};
  if (locator.selector) return { css: locator.selector, ...frame };
  if (locator.xpath) return { xpath: locator.xpath, ...frame };
  return undefined;
}

function pin(step: TestStep, located: Located[]): { step: TestStep; pinned: number } {
  let pinned = 0;
  const params = { ...step.params };
  for (const l of located) {
    const key = ROLE_PARAM[l.role];
    const recorded = targetOfLocator(l.locator);
    if (!recorded || params[key] === undefined) continue;
    const before = params[key] as TargetSpec;
    // The description stays: it names the element in reports, and is what healing falls back on.
    params[key] = { description: before.description ?? step.description, ...recorded };
    pinned++;
  }
  return { step: { ...step, params }, pinned };
}

/**
 * The plan a run executed, with every element the run found pinned to the locator it resolved, so that
 * running it again needs no search and no model: the input of a re-execution and of the Playwright export.
 */
export function planWithRecordedLocators(state: RunState): { plan: TestPlan; pinned: number } {
  if (!state.plan) throw new Error(`run ${state.run_id} has no plan to replay`);
  let pinned = 0;
  let index = 0;
  const phase = (steps: TestStep[]) =>
    steps.map((s) => {
      const recorded = state.steps[index++];
      const out = pin(s, recorded?.located ?? []);
      pinned += out.pinned;
      return out.step;
    });
  const plan = state.plan;
  return {
    plan: {
      ...plan,
      setup_steps: phase(plan.setup_steps),
      test_steps: phase(plan.test_steps),
      teardown_steps: phase(plan.teardown_steps),
    },
    pinned,
  };
}
