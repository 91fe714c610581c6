import type { EventStore } from "../domain/events/store.js";
import {
  decideLocators,
  evolveLocators,
  initialPlanLocators,
  type LocatorCommand,
  type LocatorEvent,
  locatorStreamId,
  type PlanLocators,
} from "../domain/locators/locators.js";
import { decide, type RunCommand } from "../domain/run/decide.js";
import { type RunEvent, runStreamId } from "../domain/run/events.js";
import { evolve, initialRunState, type RunState } from "../domain/run/state.js";
import { CommandHandler } from "./handler.js";

/** Commands on test runs (stream `run-<id>`) and on a plan's learned locators (stream `locators-<plan_id>`). */
export class RunCommands {
  readonly runs: CommandHandler<RunState, RunCommand, RunEvent>;
  readonly locators: CommandHandler<PlanLocators, LocatorCommand, LocatorEvent>;

  constructor(readonly store: EventStore) {
    this.runs = new CommandHandler(store, {
      initial: initialRunState,
      evolve,
      decide,
      versionOf: (s) => s.version,
    });
    this.locators = new CommandHandler(store, {
      initial: initialPlanLocators,
      evolve: evolveLocators,
      decide: decideLocators,
      versionOf: (s) => s.version,
    });
  }

  run(runId: string, command: RunCommand | ((state: RunState) => RunCommand), actor?: string) {
    return this.runs.handle(runStreamId(runId), command, {
      streamType: "run",
      metadata: { correlationId: runId, ...(actor ? { actor } : {}) },
    });
  }

  loadRun(runId: string): Promise<RunState> {
    return this.runs.load(runStreamId(runId));
  }

  planLocators(planId: string): Promise<PlanLocators> {
    return this.locators.load(locatorStreamId(planId));
  }

  learn(planId: string, command: LocatorCommand, actor?: string) {
    return this.locators.handle(locatorStreamId(planId), command, {
      streamType: "locators",
      metadata: { correlationId: command.run_id, ...(actor ? { actor } : {}) },
    });
  }
}
