import type { ElementLocator } from "../healing/fingerprint.js";
import type { Role } from "../locators/locators.js";
import type { TargetSpec, TestPlan, TestStep } from "../plan/model.js";
import type { Located } from "./events.js";

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

/** The target of a step that an element role names: its target, a drag's ends, or a form fill's nth field. */
function withTarget(
  step: TestStep,
  role: Role,
  change: (spec: TargetSpec) => TargetSpec,
): TestStep | undefined {
  const params = step.params as Record<string, unknown>;
  const field = /^field(\d+)$/.exec(role);
  if (field && step.action === "fill_form") {
    const i = Number(field[1]);
    const fields = step.params.fields.map((f, j) => (j === i ? { ...f, target: change(f.target) } : f));
    return { ...step, params: { fields } };
  }
  const spec = params[role] as TargetSpec | undefined;
  if (field || !spec) return undefined;
  return { ...step, params: { ...step.params, [role]: change(spec) } } as TestStep;
}

function pin(step: TestStep, located: Located[]): { step: TestStep; pinned: number } {
  let pinned = 0;
  let out = step;
  for (const l of located) {
    const recorded = targetOfLocator(l.locator);
    if (!recorded) continue;
    // The description stays: it names the element in reports, and is what healing falls back on.
    const next = withTarget(out, l.role, (before) => ({
      description: before.description ?? step.description,
      ...recorded,
    }));
    if (!next) continue;
    out = next;
    pinned++;
  }
  return { step: out, pinned };
}

/**
 * The plan a run executed, with every element the run found pinned to the locator it resolved, so that
 * running it again needs no search and no model: the input of a re-execution and of the Playwright export.
 */
export function planWithRecordedLocators(run: {
  run_id?: string;
  plan?: TestPlan;
  steps: { located: Located[] }[];
}): { plan: TestPlan; pinned: number } {
  if (!run.plan) throw new Error(`run ${run.run_id} has no plan to replay`);
  let pinned = 0;
  let index = 0;
  const phase = (steps: TestStep[]) =>
    steps.map((s) => {
      const out = pin(s, run.steps[index++]?.located ?? []);
      pinned += out.pinned;
      return out.step;
    });
  const plan = run.plan;
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
