import type { RunState, StepState } from "./state.js";

/** A command the run refuses in its current state; `code` is stable for callers (HTTP 409, MCP isError). */
export class RunRuleError extends Error {
  override readonly name = "RunRuleError";
  constructor(
    readonly code:
      | "run_exists"
      | "no_run"
      | "wrong_status"
      | "wrong_step"
      | "unknown_healing"
      | "already_reviewed"
      | "bad_heal",
    message: string,
  ) {
    super(message);
  }
}

export const ACTIVE = ["running", "healing"];

export function requireStatus(state: RunState, allowed: string[], what: string) {
  if (state.status === "none") throw new RunRuleError("no_run", `no such run: ${what} needs a run`);
  if (!allowed.includes(state.status)) {
    throw new RunRuleError(
      "wrong_status",
      `cannot ${what}: the run is ${state.status} (needs ${allowed.join(" or ")})`,
    );
  }
}

export function stepAt(state: RunState, index: number): StepState {
  const step = state.steps.find((s) => s.index === index);
  if (!step)
    throw new RunRuleError("wrong_step", `the plan has no step ${index} (it has ${state.steps.length})`);
  return step;
}
