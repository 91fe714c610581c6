import type { HealingDecision } from "../healing/score.js";
import { type HealIdentity, healIdentity } from "../healing/verify.js";
import {
  type ActionType,
  allSteps,
  type Phase,
  type StepStatus,
  type TestStatus,
  type TestStep,
} from "../plan/model.js";
import type { RunEvent } from "./events.js";

/**
 * The run aggregate's state: only what `decide` reads. What a run showed (elements, snapshots, findings)
 * is the report's business (`src/projections/run-report`), folded from the same events.
 */
export interface StepState {
  index: number;
  step_id: string;
  phase: Phase;
  action: ActionType;
  description: string;
  status: StepStatus;
  attempts: number;
  critical: boolean;
  /** An assert step, or one with an expected outcome: its result judges the heals before it. */
  verifies: boolean;
  /** What a verifying step checks, in words: a heal counts as verified only when this names its element. */
  check?: string;
  /** How many attempts the step may have: one, plus its retries when it retries on failure. */
  max_attempts: number;
  healing_id?: string;
}

export interface HealingState {
  healing_id: string;
  index: number;
  decision: HealingDecision;
  /** Words naming the element the step meant to act on (see domain/healing/verify.ts). */
  identity?: HealIdentity;
  /** Set by HealingVerified: whether the first check after the heal passed. */
  successful?: boolean;
  review?: { approved: boolean; reviewer: string };
}

export interface RunState {
  run_id?: string;
  status: TestStatus | "none";
  /** Events folded so far: the stream version this state stands at. */
  version: number;
  /** Steps arrive one by one (StepAdded) until the run is finished. */
  interactive: boolean;
  steps: StepState[];
  healings: Record<string, HealingState>;
  current_index?: number;
  stop?: { resumable: boolean; snapshot_hash?: string };
  /** The latest snapshot's hash: where a resumed run starts, unless its stop saved one. */
  last_snapshot?: string;
}

export const initialRunState = (): RunState => ({
  status: "none",
  version: 0,
  interactive: false,
  steps: [],
  healings: {},
});

export function stepStateOf(phase: Phase, index: number, step: TestStep): StepState {
  return {
    index,
    step_id: step.step_id,
    phase,
    action: step.action,
    description: step.description,
    status: "pending",
    attempts: 0,
    critical: step.critical,
    verifies: step.action === "assert" || step.expected_outcome !== undefined,
    ...(step.action === "assert" || step.expected_outcome
      ? { check: [step.description, step.expected_outcome ?? ""].join(" ") }
      : {}),
    max_attempts: step.retry_on_failure ? step.max_retries + 1 : 1,
  };
}

function withStep(state: RunState, index: number, change: (step: StepState) => StepState): RunState {
  return { ...state, steps: state.steps.map((s) => (s.index === index ? change(s) : s)) };
}

/** Folds one event into the state. Pure, and the same for a process's cache and for a fold of the log. */
export function evolve(state: RunState, event: RunEvent): RunState {
  const next: RunState = { ...state, version: state.version + 1 };
  switch (event.type) {
    case "RunRequested":
      return { ...next, run_id: event.data.run_id, status: "pending", interactive: !!event.data.interactive };
    case "PlanGenerated":
      return {
        ...next,
        steps: allSteps(event.data.plan).map(({ phase, index, step }) => stepStateOf(phase, index, step)),
      };
    case "StepAdded":
      return {
        ...next,
        steps: [...next.steps, stepStateOf("test", event.data.index, event.data.step)],
      };
    case "PlanGenerationFailed":
      return { ...next, status: "error" };
    case "RunStarted":
      return { ...next, status: "running" };
    case "StepStarted":
      return {
        ...withStep(next, event.data.index, (s) => ({
          ...s,
          status: "running",
          attempts: event.data.attempt,
          healing_id: undefined,
        })),
        current_index: event.data.index,
      };
    case "LocatorHealed": {
      const { healing_id, index, decision, old_fingerprint } = event.data;
      const description = next.steps.find((s) => s.index === index)?.description ?? "";
      const identity = healIdentity(old_fingerprint, description);
      return {
        ...next,
        healings: { ...next.healings, [healing_id]: { healing_id, index, decision, identity } },
      };
    }
    case "HealingVerified": {
      const h = next.healings[event.data.healing_id];
      if (!h) return next;
      const healings = { ...next.healings, [h.healing_id]: { ...h, successful: event.data.successful } };
      if (event.data.successful) return { ...next, healings };
      return withStep({ ...next, healings }, h.index, (s) =>
        s.status === "healed" ? { ...s, status: "failed" } : s,
      );
    }
    case "HealingReviewed": {
      const h = next.healings[event.data.healing_id];
      if (!h) return next;
      const review = { approved: event.data.approved, reviewer: event.data.reviewer };
      return { ...next, healings: { ...next.healings, [h.healing_id]: { ...h, review } } };
    }
    case "StepPassed":
      return withStep({ ...next, current_index: undefined }, event.data.index, (s) => ({
        ...s,
        status: event.data.healing_id ? "healed" : "passed",
        healing_id: event.data.healing_id,
      }));
    case "StepFailed":
      return withStep({ ...next, current_index: undefined }, event.data.index, (s) => ({
        ...s,
        // A failure that will be retried leaves the step to run again.
        status: event.data.will_retry ? "pending" : "failed",
        healing_id: event.data.healing_id,
      }));
    case "StepSkipped":
    case "StepDropped":
      return withStep(next, event.data.index, (s) => ({ ...s, status: "skipped" }));
    case "SnapshotCaptured":
      return { ...next, last_snapshot: event.data.snapshot_hash };
    case "RunHealing":
      return {
        ...next,
        status: "healing",
        steps: next.steps.map((s) =>
          s.index >= event.data.from_index && (s.status === "failed" || s.status === "skipped")
            ? { ...s, status: "pending", attempts: 0 }
            : s,
        ),
      };
    case "RunCompleted":
      return { ...next, status: event.data.status, current_index: undefined };
    case "RunStopped":
      return {
        ...next,
        status: "stopped",
        stop: { resumable: event.data.resumable, snapshot_hash: event.data.snapshot_hash },
        current_index: undefined,
      };
    case "RunResumed":
      return {
        ...next,
        status: "running",
        stop: undefined,
        current_index: undefined,
        steps: next.steps.map((s) => (s.status === "running" ? { ...s, status: "pending" } : s)),
      };
    default:
      // Facts for the report (elements found, waits, findings, drift) change nothing decide reads.
      return next;
  }
}

export function foldRun(events: RunEvent[], from: RunState = initialRunState()): RunState {
  return events.reduce(evolve, from);
}

/** How many of a run's steps passed, were healed, failed or were skipped; `succeeded` is passed and healed. */
export function stepCounts(state: { steps: { status: StepStatus }[] }) {
  const c = { total: state.steps.length, passed: 0, healed: 0, failed: 0, skipped: 0, succeeded: 0 };
  for (const s of state.steps) {
    if (s.status === "passed" || s.status === "healed" || s.status === "failed" || s.status === "skipped")
      c[s.status]++;
  }
  c.succeeded = c.passed + c.healed;
  return c;
}

/** The next step to run: the first pending one, in order. */
export function nextPendingStep<S extends { status: StepStatus }>(state: { steps: S[] }): S | undefined {
  return state.steps.find((s) => s.status === "pending");
}
