import type { z } from "zod";
import { actsOnHeal } from "../healing/score.js";
import { allSteps, type TestPlan, type TestStep } from "../plan/model.js";
import { recordablePlan } from "../plan/normalize.js";
import type {
  AccessibilityScanned,
  DriftDetected,
  ElementLocated,
  HealingAttempted,
  LocatorHealed,
  PerformanceMeasured,
  RunEvent,
  SecurityChecked,
  SnapshotCaptured,
  WaitObserved,
} from "./events.js";
import { evolve, type RunState, type StepState } from "./state.js";

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

type Data<D extends { schema: z.ZodType }> = z.infer<D["schema"]>;

/** Facts the executor observed during a step, recorded before its outcome. */
export type Observation =
  | { type: "ElementLocated"; data: Data<typeof ElementLocated> }
  | { type: "WaitObserved"; data: Data<typeof WaitObserved> }
  | { type: "HealingAttempted"; data: Data<typeof HealingAttempted> }
  | { type: "LocatorHealed"; data: Data<typeof LocatorHealed> }
  | { type: "SnapshotCaptured"; data: Data<typeof SnapshotCaptured> }
  | { type: "DriftDetected"; data: Data<typeof DriftDetected> }
  | { type: "AccessibilityScanned"; data: Data<typeof AccessibilityScanned> }
  | { type: "PerformanceMeasured"; data: Data<typeof PerformanceMeasured> }
  | { type: "SecurityChecked"; data: Data<typeof SecurityChecked> };

export type RunCommand =
  | {
      type: "RequestRun";
      run_id: string;
      application_url: string;
      application_version?: string;
      driver: "playwright" | "webdriverio";
      source: "plan" | "requirements" | "api" | "replay";
      requested_by?: string;
      related_run?: string;
      plan?: TestPlan;
      planner: "file" | "deterministic" | "model" | "recorded";
      unparsed?: string[];
      planning_error?: { error: string; attempts: number };
      interactive?: boolean;
    }
  | { type: "AddStep"; step: TestStep }
  | { type: "StartRun"; driver: "playwright" | "webdriverio"; browser_version?: string }
  | { type: "StartStep"; index: number }
  | {
      type: "FinishStep";
      index: number;
      observations: Observation[];
      outcome:
        | { passed: true; duration_ms: number; detail?: string; healing_id?: string }
        | {
            passed: false;
            duration_ms: number;
            error: string;
            screenshot_hash?: string;
            healing_id?: string;
            /** False when another attempt cannot change the result. */
            retriable?: boolean;
          };
    }
  | { type: "SkipRemaining"; reason: string }
  | { type: "RecordObservations"; observations: Observation[] }
  | { type: "CompleteRun"; duration_ms: number; error?: string }
  | { type: "StopRun"; reason: string; snapshot_hash?: string; resumable: boolean }
  | { type: "ResumeRun"; driver: "playwright" | "webdriverio"; snapshot_hash?: string }
  | { type: "StartHealing"; reason: string }
  | { type: "ReviewHealing"; healing_id: string; approved: boolean; reviewer: string; note?: string };

const ACTIVE = new Set(["running", "healing"]);

function requireStatus(state: RunState, allowed: string[], what: string) {
  if (state.status === "none") throw new RunRuleError("no_run", `no such run: ${what} needs a run`);
  if (!allowed.includes(state.status)) {
    throw new RunRuleError(
      "wrong_status",
      `cannot ${what}: the run is ${state.status} (needs ${allowed.join(" or ")})`,
    );
  }
}

function stepAt(state: RunState, index: number): StepState {
  const step = state.steps.find((s) => s.index === index);
  if (!step)
    throw new RunRuleError("wrong_step", `the plan has no step ${index} (it has ${state.steps.length})`);
  return step;
}

function planStep(state: RunState, index: number) {
  return allSteps(state.plan!).find((s) => s.index === index)!.step;
}

/** HealingVerified for every heal used before `index` whose step passed and that no check has judged yet. */
function verifyHeals(state: RunState, index: number, successful: boolean, reason: string): RunEvent[] {
  return Object.values(state.healings)
    .filter((h) => h.successful === undefined && h.index < index)
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
      },
    }));
}

/** Decides what happens when a command meets the run's state. Pure: no clock, no I/O, no randomness. */
export function decide(command: RunCommand, state: RunState): RunEvent[] {
  switch (command.type) {
    case "RequestRun": {
      if (state.status !== "none") throw new RunRuleError("run_exists", `run ${state.run_id} already exists`);
      const requested: RunEvent = {
        type: "RunRequested",
        data: {
          run_id: command.run_id,
          application_url: command.application_url,
          application_version: command.application_version,
          driver: command.driver,
          source: command.source,
          requested_by: command.requested_by,
          related_run: command.related_run,
          ...(command.interactive ? { interactive: true } : {}),
        },
      };
      if (command.planning_error || !command.plan) {
        return [
          requested,
          {
            type: "PlanGenerationFailed",
            data: {
              planner: command.planner,
              error: command.planning_error?.error ?? "no plan",
              attempts: command.planning_error?.attempts ?? 0,
            },
          },
        ];
      }
      return [
        requested,
        {
          type: "PlanGenerated",
          data: {
            plan: recordablePlan(command.plan),
            planner: command.planner,
            unparsed: command.unparsed ?? [],
          },
        },
      ];
    }

    case "AddStep": {
      if (state.status === "none") throw new RunRuleError("no_run", "no such run: add a step needs a run");
      if (!state.interactive) {
        throw new RunRuleError(
          "wrong_status",
          `run ${state.run_id} is not interactive: its plan was fixed when it started`,
        );
      }
      requireStatus(state, ["pending", "running"], "add a step");
      if (state.steps.some((s) => s.step_id === command.step.step_id)) {
        throw new RunRuleError("wrong_step", `the run already has a step ${command.step.step_id}`);
      }
      const [masked] = recordablePlan({ ...state.plan!, test_steps: [command.step] }).test_steps;
      return [{ type: "StepAdded", data: { index: state.steps.length, step: masked! } }];
    }

    case "StartRun":
      requireStatus(state, ["pending"], "start the run");
      return [
        { type: "RunStarted", data: { driver: command.driver, browser_version: command.browser_version } },
      ];

    case "StartStep": {
      requireStatus(state, [...ACTIVE], "start a step");
      if (state.current_index !== undefined) {
        throw new RunRuleError("wrong_step", `step ${state.current_index} is still running`);
      }
      const step = stepAt(state, command.index);
      if (step.status !== "pending") {
        throw new RunRuleError(
          "wrong_step",
          `step ${command.index} (${step.step_id}) is ${step.status}, not pending`,
        );
      }
      return [
        {
          type: "StepStarted",
          data: {
            index: step.index,
            step_id: step.step_id,
            phase: step.phase,
            action: step.action as never,
            description: step.description,
            attempt: step.attempts + 1,
          },
        },
      ];
    }

    case "FinishStep": {
      requireStatus(state, [...ACTIVE], "finish a step");
      const step = stepAt(state, command.index);
      if (state.current_index !== command.index || step.status !== "running") {
        throw new RunRuleError("wrong_step", `step ${command.index} is not running`);
      }
      const heals = new Map(
        command.observations
          .filter((o) => o.type === "LocatorHealed")
          .map((o) => [o.data.healing_id, o.data]),
      );
      const { outcome } = command;
      if (outcome.healing_id) {
        const heal = heals.get(outcome.healing_id);
        if (!heal)
          throw new RunRuleError("bad_heal", `healing ${outcome.healing_id} was not recorded in this step`);
        if (outcome.passed && !actsOnHeal(heal.decision)) {
          throw new RunRuleError(
            "bad_heal",
            `a step cannot pass on a heal whose decision is ${heal.decision}`,
          );
        }
      }
      const events: RunEvent[] = command.observations.map((o) => o as RunEvent);
      const definition = planStep(state, step.index);
      const verifies = definition.action === "assert" || definition.expected_outcome !== undefined;
      if (outcome.passed) {
        events.push({
          type: "StepPassed",
          data: {
            index: step.index,
            step_id: step.step_id,
            attempt: step.attempts,
            duration_ms: outcome.duration_ms,
            healing_id: outcome.healing_id,
            detail: outcome.detail,
          },
        });
        if (verifies)
          events.push(...verifyHeals(state, step.index, true, `${step.step_id} passed after the heal`));
      } else {
        const will_retry =
          outcome.retriable !== false &&
          definition.retry_on_failure &&
          step.attempts <= definition.max_retries;
        events.push({
          type: "StepFailed",
          data: {
            index: step.index,
            step_id: step.step_id,
            attempt: step.attempts,
            duration_ms: outcome.duration_ms,
            error: outcome.error,
            screenshot_hash: outcome.screenshot_hash,
            will_retry,
            healing_id: outcome.healing_id,
          },
        });
        if (!will_retry) {
          if (outcome.healing_id) {
            events.push({
              type: "HealingVerified",
              data: {
                healing_id: outcome.healing_id,
                successful: false,
                by_index: step.index,
                reason: "the healed step failed",
              },
            });
          }
          if (verifies) {
            events.push(
              ...verifyHeals(
                state,
                step.index,
                false,
                `healed locator led to a failed check at step ${step.step_id}: ${outcome.error}`,
              ),
            );
          }
        }
      }
      return events;
    }

    case "RecordObservations":
      requireStatus(
        state,
        ["pending", "running", "healing", "passed", "failed", "stopped", "error"],
        "record observations",
      );
      return command.observations.map((o) => o as RunEvent);

    case "SkipRemaining": {
      requireStatus(state, [...ACTIVE], "skip steps");
      // Teardown still runs after a failure: it cleans up what setup and the test made.
      return state.steps
        .filter((s) => s.status === "pending" && s.phase !== "teardown")
        .map((s) => ({
          type: "StepSkipped",
          data: { index: s.index, step_id: s.step_id, reason: command.reason },
        }));
    }

    case "CompleteRun": {
      requireStatus(state, [...ACTIVE], "complete the run");
      if (state.current_index !== undefined) {
        throw new RunRuleError("wrong_step", `step ${state.current_index} is still running`);
      }
      const pending = state.steps.filter((s) => s.status === "pending");
      if (pending.length > 0 && !command.error) {
        throw new RunRuleError(
          "wrong_step",
          `steps still pending: ${pending.map((s) => s.step_id).join(", ")}`,
        );
      }
      // Heals no later check contradicted stand; fold them in before counting.
      const verified = command.error
        ? []
        : verifyHeals(state, Number.MAX_SAFE_INTEGER, true, "no later check failed");
      const after = verified.reduce((s, e) => evolve(s, e), state);
      const count = (statuses: string[]) => after.steps.filter((s) => statuses.includes(s.status)).length;
      const criticalFailure = after.steps.some((s) => s.status === "failed" && s.critical);
      return [
        ...verified,
        {
          type: "RunCompleted",
          data: {
            status: command.error ? "error" : criticalFailure ? "failed" : "passed",
            duration_ms: command.duration_ms,
            passed: count(["passed", "healed"]),
            failed: count(["failed"]),
            skipped: count(["skipped"]),
            healed: count(["healed"]),
            error: command.error,
          },
        },
      ];
    }

    case "StopRun":
      requireStatus(state, ["pending", "running", "healing"], "stop the run");
      return [
        {
          type: "RunStopped",
          data: {
            reason: command.reason,
            snapshot_hash: command.snapshot_hash,
            resumable: command.resumable,
          },
        },
      ];

    case "ResumeRun": {
      // A run left "running" by a process that died can be resumed too; its caller knows the process is gone.
      requireStatus(state, ["stopped", "running", "healing"], "resume the run");
      if (state.stop && !state.stop.resumable) {
        throw new RunRuleError(
          "wrong_status",
          "the run was stopped without saving its state, so it cannot be resumed",
        );
      }
      const first = state.steps.find((s) => s.status === "pending" || s.status === "running");
      if (!first) throw new RunRuleError("wrong_step", "no step is left to run");
      return [
        {
          type: "RunResumed",
          data: {
            from_index: first.index,
            snapshot_hash:
              command.snapshot_hash ?? state.stop?.snapshot_hash ?? state.snapshots.at(-1)?.snapshot_hash,
            driver: command.driver,
          },
        },
      ];
    }

    case "StartHealing": {
      requireStatus(state, ["failed"], "heal the run");
      const failed = state.steps.find((s) => s.status === "failed");
      if (!failed) throw new RunRuleError("wrong_step", "the run has no failed step to heal");
      return [{ type: "RunHealing", data: { from_index: failed.index, reason: command.reason } }];
    }

    case "ReviewHealing": {
      if (state.status === "none") throw new RunRuleError("no_run", "no such run");
      const heal = state.healings[command.healing_id];
      if (!heal)
        throw new RunRuleError("unknown_healing", `run ${state.run_id} has no healing ${command.healing_id}`);
      if (heal.review) {
        throw new RunRuleError(
          "already_reviewed",
          `healing ${command.healing_id} was already ${heal.review.approved ? "approved" : "rejected"} by ${heal.review.reviewer}`,
        );
      }
      return [
        {
          type: "HealingReviewed",
          data: {
            healing_id: command.healing_id,
            approved: command.approved,
            reviewer: command.reviewer,
            note: command.note,
          },
        },
      ];
    }
  }
}
