import { decide } from "../domain/run/decide.js";
import type { StepState } from "../domain/run/state.js";
import type { LiveRun } from "./live-run.js";
import { type Attempt, performStep } from "./perform.js";

export interface ExecutedStep {
  /** The step as the run's state holds it after its last attempt. */
  step: StepState;
  /** The last attempt: what it observed and how it ended. */
  last: Attempt;
}

/**
 * One step of a run, with its attempts: the path every step takes, from a plan or from an agent. Each
 * attempt is started, performed in the browser, and finished with what it observed; the run's aggregate
 * decides whether a failure is tried again.
 */
export async function executeStep(run: LiveRun, index: number): Promise<ExecutedStep> {
  for (;;) {
    // The start is decided now and its write overlaps the browser's work; it is awaited before the outcome
    // is recorded, so the log never holds an outcome without its start.
    const start = { type: "StartStep" as const, index };
    decide({ ...start, at: run.now() }, run.state); // refuses, before the browser acts, a step out of turn
    const starting = run.record(start);
    starting.catch(() => {}); // awaited below; a rejection must not go unhandled meanwhile
    const last = await performStep(run, index);
    await starting;
    await run.record({ type: "FinishStep", index, observations: last.observations, outcome: last.outcome });
    const step = run.state.steps[index]!;
    if (last.snapshot) run.pageUrl = last.snapshot.url;
    if (step.status === "pending") continue; // failed, and to be tried again
    if (step.status === "passed" || step.status === "healed") {
      run.executed.push(step.step_id);
      run.learned.push(...last.learned);
    }
    return { step, last };
  }
}
