import { actsOnHeal } from "../healing/score.js";
import { checkNamesHeal } from "../healing/verify.js";
import type { RunCommand } from "./commands.js";
import type { RunEvent } from "./events.js";
import { ACTIVE, RunRuleError, requireStatus, stepAt } from "./rules.js";
import type { RunState } from "./state.js";

/**
 * HealingVerified for heals used before `index` whose step passed and that no check has judged yet. A failed
 * check judges them all; a passing one only those it names (`check`), since only those it would have failed
 * had the wrong element been used. The rest stay unverified.
 */
function verifyHeals(
  state: RunState,
  index: number,
  successful: boolean,
  reason: string,
  at: string,
  check?: string,
): RunEvent[] {
  return Object.values(state.healings)
    .filter((h) => h.successful === undefined && h.index < index)
    .filter(
      (h) => !successful || (check !== undefined && checkNamesHeal(check, h.identity ?? { strong: [] })),
    )
    .filter((h) => {
      const step = state.steps.find((s) => s.index === h.index);
      return step?.status === "healed" && step.healing_id === h.healing_id;
    })
    .map((h) => ({
      type: "HealingVerified" as const,
      data: {
        healing_id: h.healing_id,
        successful,
        by_index: index === Number.MAX_SAFE_INTEGER ? undefined : index,
        reason,
        at,
      },
    }));
}

/** A step's outcome, after what it observed; a passing or failing check judges the heals before it. */
export function finishStep(
  command: Extract<RunCommand, { type: "FinishStep" }>,
  state: RunState,
): RunEvent[] {
  requireStatus(state, ACTIVE, "finish a step");
  const step = stepAt(state, command.index);
  if (state.current_index !== command.index || step.status !== "running") {
    throw new RunRuleError("wrong_step", `step ${command.index} is not running`);
  }
  const { outcome, at } = command;
  if (outcome.healing_id) {
    const heal = command.observations.find(
      (o) => o.type === "LocatorHealed" && o.data.healing_id === outcome.healing_id,
    );
    if (heal?.type !== "LocatorHealed")
      throw new RunRuleError("bad_heal", `healing ${outcome.healing_id} was not recorded in this step`);
    if (outcome.passed && !actsOnHeal(heal.data.decision)) {
      throw new RunRuleError(
        "bad_heal",
        `a step cannot pass on a heal whose decision is ${heal.data.decision}`,
      );
    }
  }
  const events: RunEvent[] = [...command.observations];
  const { index, step_id, attempts: attempt } = step;
  const { duration_ms, healing_id } = outcome;
  if (outcome.passed) {
    events.push({
      type: "StepPassed",
      data: { index, step_id, attempt, duration_ms, healing_id, detail: outcome.detail, at },
    });
    if (step.verifies)
      events.push(
        ...verifyHeals(state, index, true, `${step_id} passed and names the element`, at, step.check),
      );
    return events;
  }
  const will_retry = outcome.retriable !== false && step.attempts < step.max_attempts;
  const { error, screenshot_hash } = outcome;
  events.push({
    type: "StepFailed",
    data: { index, step_id, attempt, duration_ms, error, screenshot_hash, will_retry, healing_id, at },
  });
  if (will_retry) return events;
  if (healing_id) {
    const reason = "the healed step failed";
    events.push({
      type: "HealingVerified",
      data: { healing_id, successful: false, by_index: index, reason, at },
    });
  }
  if (step.verifies) {
    const reason = `healed locator led to a failed check at step ${step_id}: ${error}`;
    events.push(...verifyHeals(state, index, false, reason, at));
  }
  return events;
}

/**
 * The run's verdict. Any failed step fails it, critical or not: a non-critical failure means "carry on",
 * not "doesn't count" (as Playwright's `expect.soft`). A step an agent dropped no longer counts.
 */
export function completeRun(
  command: Extract<RunCommand, { type: "CompleteRun" }>,
  state: RunState,
): RunEvent[] {
  requireStatus(state, ACTIVE, "complete the run");
  if (state.current_index !== undefined) {
    throw new RunRuleError("wrong_step", `step ${state.current_index} is still running`);
  }
  const pending = state.steps.filter((s) => s.status === "pending");
  if (pending.length > 0 && !command.error) {
    throw new RunRuleError("wrong_step", `steps still pending: ${pending.map((s) => s.step_id).join(", ")}`);
  }
  const { at } = command;
  // Heals no check named stay unverified: a run that merely did not fail proves nothing about them.
  const verified: RunEvent[] = [];
  const after = state;
  const count = (status: string) => after.steps.filter((s) => s.status === status).length;
  const status = command.error ? "error" : count("failed") > 0 ? "failed" : "passed";
  return [
    ...verified,
    {
      type: "RunCompleted",
      data: {
        status,
        duration_ms: command.duration_ms,
        passed: count("passed") + count("healed"),
        failed: count("failed"),
        skipped: count("skipped"),
        healed: count("healed"),
        error: command.error,
        at,
      },
    },
  ];
}
