import type { RunCommands } from "../commands/run-commands.js";
import { allSteps, type TestPlan } from "../domain/plan/model.js";
import { MASK } from "../domain/plan/secrets.js";
import type { DriverKind } from "../ports/browser.js";

export interface RequestOptions {
  plan?: TestPlan;
  driver?: DriverKind;
  applicationVersion?: string;
  source?: "plan" | "requirements" | "api" | "replay";
  planner?: "file" | "deterministic" | "model" | "recorded";
  unparsed?: string[];
  planningError?: { error: string; attempts: number };
  requestedBy?: string;
  relatedRun?: string;
  applicationUrl?: string;
  runId?: string;
  /** Steps will come one by one through addStep; the run stays open for them until it is finished. */
  interactive?: boolean;
  /** Values of secret steps by step id, for plans that hold them masked (re-executions of recorded runs). */
  secrets?: Record<string, string>;
  /**
   * Visual baselines along the way (needs the engine's drift service): capture the first state of each page
   * the run visits as the baseline of version `capture`; check each against the approved baseline of
   * version `check`, recording the drift in the run. Held in memory, like secrets.
   */
  baselines?: { capture?: string; check?: string };
}

/**
 * The secret values a plan types, by step id: kept in the memory of the process that runs it, never in the
 * log. A recorded plan holds the mask, not the value: only a given value is a secret to type.
 */
export function secretsOf(
  plan: TestPlan | undefined,
  given: Record<string, string> = {},
): Map<string, string> {
  const secrets = new Map<string, string>();
  for (const { step } of plan ? allSteps(plan) : []) {
    if (step.action !== "type" || !step.params.secret) continue;
    const text = given[step.step_id] ?? step.params.text;
    if (text !== undefined && text !== MASK) secrets.set(step.step_id, text);
  }
  return secrets;
}

/** Records a run's request and its plan, or why there is none. */
export async function requestRun(
  commands: RunCommands,
  runId: string,
  options: RequestOptions,
  fixed: { at: string; driver: DriverKind },
) {
  await commands.run(runId, {
    type: "RequestRun",
    run_id: runId,
    application_url: options.plan?.application_url ?? options.applicationUrl ?? "",
    application_version: options.applicationVersion,
    driver: fixed.driver,
    source: options.source ?? "plan",
    requested_by: options.requestedBy,
    related_run: options.relatedRun,
    plan: options.plan,
    planner: options.planner ?? "file",
    unparsed: options.unparsed,
    planning_error: options.planningError,
    interactive: options.interactive,
    at: fixed.at,
  });
}
