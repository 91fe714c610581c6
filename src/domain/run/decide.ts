import { recordablePlan, recordableStep } from "../plan/normalize.js";
import type { RunCommand } from "./commands.js";
import type { RunEvent } from "./events.js";
import { completeRun, finishStep } from "./finish.js";
import { ACTIVE, RunRuleError, requireStatus, stepAt } from "./rules.js";

export { ACTIVE, RunRuleError, requireStatus, stepAt } from "./rules.js";

import type { RunState } from "./state.js";

export type { Observation, RunCommand, StepOutcome } from "./commands.js";

/** Decides what happens when a command meets the run's state. Pure: time comes with the command. */
export function decide(command: RunCommand, state: RunState): RunEvent[] {
  const { at } = command;
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
          at,
        },
      };
      if (command.planning_error || !command.plan) {
        const failure = command.planning_error ?? { error: "no plan", attempts: 0 };
        return [
          requested,
          { type: "PlanGenerationFailed", data: { planner: command.planner, ...failure, at } },
        ];
      }
      const plan = recordablePlan(command.plan);
      const planned = { plan, planner: command.planner, unparsed: command.unparsed ?? [], at };
      return [requested, { type: "PlanGenerated", data: planned }];
    }

    case "AddStep": {
      requireStatus(state, ["pending", "running"], "add a step");
      if (!state.interactive) {
        throw new RunRuleError(
          "wrong_status",
          `run ${state.run_id} is not interactive: its plan was fixed when it started`,
        );
      }
      if (state.steps.some((s) => s.step_id === command.step.step_id)) {
        throw new RunRuleError("wrong_step", `the run already has a step ${command.step.step_id}`);
      }
      return [
        { type: "StepAdded", data: { index: state.steps.length, step: recordableStep(command.step), at } },
      ];
    }

    case "StartRun":
      requireStatus(state, ["pending"], "start the run");
      return [
        {
          type: "RunStarted",
          data: { driver: command.driver, browser_version: command.browser_version, at },
        },
      ];

    case "StartStep": {
      requireStatus(state, ACTIVE, "start a step");
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
      const { index, step_id, phase, action, description } = step;
      const attempt = step.attempts + 1;
      return [{ type: "StepStarted", data: { index, step_id, phase, action, description, attempt, at } }];
    }

    case "FinishStep":
      return finishStep(command, state);

    case "DropStep": {
      requireStatus(state, ACTIVE, "drop a step");
      const step = stepAt(state, command.index);
      if (!state.interactive || step.status !== "failed") {
        throw new RunRuleError("wrong_step", "only a failed step of an interactive run can be dropped");
      }
      return [
        {
          type: "StepDropped",
          data: { index: step.index, step_id: step.step_id, reason: command.reason, at },
        },
      ];
    }

    case "RecordObservations":
      requireStatus(
        state,
        ["pending", "running", "healing", "passed", "failed", "stopped", "error"],
        "record observations",
      );
      return command.observations;

    case "SkipRemaining":
      requireStatus(state, ACTIVE, "skip steps");
      // Teardown still runs after a failure: it cleans up what setup and the test made.
      return state.steps
        .filter((s) => s.status === "pending" && s.phase !== "teardown")
        .map((s) => ({
          type: "StepSkipped",
          data: { index: s.index, step_id: s.step_id, reason: command.reason, at },
        }));

    case "CompleteRun":
      return completeRun(command, state);

    case "StopRun": {
      requireStatus(state, ["pending", "running", "healing"], "stop the run");
      const { reason, snapshot_hash, resumable } = command;
      return [{ type: "RunStopped", data: { reason, snapshot_hash, resumable, at } }];
    }

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
      const snapshot_hash = command.snapshot_hash ?? state.stop?.snapshot_hash ?? state.last_snapshot;
      return [
        { type: "RunResumed", data: { from_index: first.index, snapshot_hash, driver: command.driver, at } },
      ];
    }

    case "TakeOverRun": {
      // Only work that was going on can be taken over; a stopped or finished run waits for a person.
      requireStatus(state, ACTIVE, "take the run over");
      const { worker, previous_worker, lease_expired_at } = command;
      return [{ type: "RunTakenOver", data: { worker, previous_worker, lease_expired_at, at } }];
    }

    case "StartHealing": {
      requireStatus(state, ["failed"], "heal the run");
      const failed = state.steps.find((s) => s.status === "failed");
      if (!failed) throw new RunRuleError("wrong_step", "the run has no failed step to heal");
      return [{ type: "RunHealing", data: { from_index: failed.index, reason: command.reason, at } }];
    }

    case "ReviewHealing": {
      if (state.status === "none") throw new RunRuleError("no_run", "no such run");
      const heal = state.healings[command.healing_id];
      if (!heal)
        throw new RunRuleError("unknown_healing", `run ${state.run_id} has no healing ${command.healing_id}`);
      if (heal.review) {
        const verdict = heal.review.approved ? "approved" : "rejected";
        throw new RunRuleError(
          "already_reviewed",
          `healing ${command.healing_id} was already ${verdict} by ${heal.review.reviewer}`,
        );
      }
      const { healing_id, approved, reviewer, note } = command;
      return [{ type: "HealingReviewed", data: { healing_id, approved, reviewer, note, at } }];
    }
  }
}
