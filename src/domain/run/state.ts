import type { z } from "zod";
import type { RecordedEvent } from "../events/envelope.js";
import type { ElementLocator, Fingerprint } from "../healing/fingerprint.js";
import type { HealingDecision } from "../healing/score.js";
import {
  allSteps,
  type Phase,
  type StepStatus,
  type TestPlan,
  type TestStatus,
  type TestStep,
} from "../plan/model.js";
import type {
  AccessibilityScanned,
  DriftDetected,
  PerformanceMeasured,
  RunEvent,
  SecurityChecked,
  WaitObserved,
} from "./events.js";

export interface Located {
  role: "target" | "source" | "destination";
  strategy: "explicit" | "learned" | "accessibility" | "vision";
  locator: ElementLocator;
  confidence: number;
  fingerprint: Fingerprint;
}

export interface StepState {
  index: number;
  step_id: string;
  phase: Phase;
  action: string;
  description: string;
  critical: boolean;
  status: StepStatus;
  attempts: number;
  started_at?: string;
  completed_at?: string;
  duration_ms?: number;
  error?: string;
  screenshot_hash?: string;
  detail?: string;
  located: Located[];
  healing_id?: string;
  skip_reason?: string;
}

export interface HealingState {
  healing_id: string;
  index: number;
  step_id: string;
  role: "target" | "source" | "destination";
  method: string;
  confidence: number;
  decision: HealingDecision;
  old_locator?: ElementLocator;
  new_locator: ElementLocator;
  old_fingerprint?: Fingerprint;
  new_fingerprint: Fingerprint;
  screenshot_before?: string;
  screenshot_after?: string;
  /** Set by HealingVerified: whether the first check after the heal passed. */
  successful?: boolean;
  review?: { approved: boolean; reviewer: string; note?: string; at: string };
  at: string;
}

export interface SnapshotRef {
  index?: number;
  snapshot_hash: string;
  screenshot_hash?: string;
  url: string;
  title: string;
  at: string;
}

export interface RunState {
  run_id?: string;
  status: TestStatus | "none";
  /** Events folded so far: the stream version this state stands at. */
  version: number;
  plan?: TestPlan;
  planner?: string;
  unparsed: string[];
  application_url?: string;
  application_version?: string;
  driver?: "playwright" | "webdriverio";
  source?: string;
  related_run?: string;
  /** Steps arrive one by one (StepAdded) until the run is finished. */
  interactive?: boolean;
  steps: StepState[];
  healings: Record<string, HealingState>;
  snapshots: SnapshotRef[];
  waits: z.infer<typeof WaitObserved.schema>[];
  drift: z.infer<typeof DriftDetected.schema>[];
  accessibility: z.infer<typeof AccessibilityScanned.schema>[];
  performance: z.infer<typeof PerformanceMeasured.schema>[];
  security: z.infer<typeof SecurityChecked.schema>[];
  /** Console errors and uncaught exceptions the run's pages showed, each once. */
  console_errors: string[];
  /** Requests that failed or answered 4xx/5xx, each once. */
  failed_requests: { url: string; method: string; status?: number; failure?: string }[];
  current_index?: number;
  requested_at?: string;
  started_at?: string;
  completed_at?: string;
  duration_ms?: number;
  error?: string;
  stop?: { reason: string; snapshot_hash?: string; resumable: boolean };
  resumes: number;
}

export const initialRunState = (): RunState => ({
  status: "none",
  version: 0,
  unparsed: [],
  steps: [],
  healings: {},
  snapshots: [],
  waits: [],
  drift: [],
  accessibility: [],
  performance: [],
  security: [],
  console_errors: [],
  failed_requests: [],
  resumes: 0,
});

function withStep(state: RunState, index: number, change: (step: StepState) => StepState): RunState {
  return { ...state, steps: state.steps.map((s) => (s.index === index ? change(s) : s)) };
}

/** Folds one event into the state. Pure: the same events always give the same state. */
export function evolve(state: RunState, event: RunEvent & { recordedAt?: Date }): RunState {
  const at = (event.recordedAt ?? new Date(0)).toISOString();
  const next: RunState = { ...state, version: state.version + 1 };
  switch (event.type) {
    case "RunRequested": {
      const d = event.data;
      return {
        ...next,
        run_id: d.run_id,
        status: "pending",
        application_url: d.application_url,
        application_version: d.application_version,
        driver: d.driver,
        source: d.source,
        related_run: d.related_run,
        ...(d.interactive ? { interactive: true } : {}),
        requested_at: at,
      };
    }
    case "StepAdded": {
      const step = event.data.step as TestStep;
      return {
        ...next,
        plan: next.plan ? { ...next.plan, test_steps: [...next.plan.test_steps, step] } : next.plan,
        steps: [
          ...next.steps,
          {
            index: event.data.index,
            step_id: step.step_id,
            phase: "test",
            action: step.action,
            description: step.description,
            critical: step.critical,
            status: "pending",
            attempts: 0,
            located: [],
          },
        ],
      };
    }
    case "PlanGenerated": {
      const plan = event.data.plan as TestPlan;
      return {
        ...next,
        plan,
        planner: event.data.planner,
        unparsed: event.data.unparsed,
        steps: allSteps(plan).map(({ phase, index, step }) => ({
          index,
          step_id: step.step_id,
          phase,
          action: step.action,
          description: step.description,
          critical: step.critical,
          status: "pending",
          attempts: 0,
          located: [],
        })),
      };
    }
    case "PlanGenerationFailed":
      return { ...next, status: "error", error: event.data.error, completed_at: at };
    case "RunStarted":
      return { ...next, status: "running", driver: event.data.driver, started_at: at };
    case "StepStarted":
      return {
        ...withStep(next, event.data.index, (s) => ({
          ...s,
          status: "running",
          attempts: event.data.attempt,
          started_at: at,
          error: undefined,
          healing_id: undefined,
          located: [],
        })),
        current_index: event.data.index,
      };
    case "ElementLocated": {
      const { role, strategy, locator, confidence, fingerprint } = event.data;
      return withStep(next, event.data.index, (s) => ({
        ...s,
        located: [
          ...s.located.filter((l) => l.role !== role),
          { role, strategy, locator, confidence, fingerprint },
        ],
      }));
    }
    case "WaitObserved":
      return { ...next, waits: [...next.waits, event.data] };
    case "HealingAttempted":
      return next;
    case "LocatorHealed": {
      const d = event.data;
      return {
        ...next,
        healings: {
          ...next.healings,
          [d.healing_id]: {
            healing_id: d.healing_id,
            index: d.index,
            step_id: d.step_id,
            role: d.role,
            method: d.method,
            confidence: d.confidence,
            decision: d.decision,
            old_locator: d.old_locator,
            new_locator: d.new_locator,
            old_fingerprint: d.old_fingerprint,
            new_fingerprint: d.new_fingerprint,
            screenshot_before: d.screenshot_before,
            screenshot_after: d.screenshot_after,
            at,
          },
        },
      };
    }
    case "HealingVerified": {
      const h = next.healings[event.data.healing_id];
      if (!h) return next;
      const healings = { ...next.healings, [h.healing_id]: { ...h, successful: event.data.successful } };
      if (event.data.successful) return { ...next, healings };
      return withStep({ ...next, healings }, h.index, (s) =>
        s.status === "healed" ? { ...s, status: "failed", error: event.data.reason } : s,
      );
    }
    case "HealingReviewed": {
      const h = next.healings[event.data.healing_id];
      if (!h) return next;
      const { approved, reviewer, note } = event.data;
      return {
        ...next,
        healings: { ...next.healings, [h.healing_id]: { ...h, review: { approved, reviewer, note, at } } },
      };
    }
    case "StepPassed": {
      const d = event.data;
      const healed = d.healing_id !== undefined;
      return {
        ...withStep({ ...next, current_index: undefined }, d.index, (s) => ({
          ...s,
          status: healed ? "healed" : "passed",
          duration_ms: d.duration_ms,
          completed_at: at,
          detail: d.detail,
          healing_id: d.healing_id,
        })),
      };
    }
    case "StepFailed": {
      const d = event.data;
      return withStep({ ...next, current_index: undefined }, d.index, (s) => ({
        ...s,
        // A failure that will be retried leaves the step to run again.
        status: d.will_retry ? "pending" : "failed",
        duration_ms: d.duration_ms,
        completed_at: at,
        error: d.error,
        screenshot_hash: d.screenshot_hash ?? s.screenshot_hash,
        healing_id: d.healing_id,
      }));
    }
    case "StepSkipped":
      return withStep(next, event.data.index, (s) => ({
        ...s,
        status: "skipped",
        skip_reason: event.data.reason,
      }));
    case "SnapshotCaptured": {
      const d = event.data;
      return {
        ...next,
        snapshots: [
          ...next.snapshots,
          {
            index: d.index,
            snapshot_hash: d.snapshot_hash,
            screenshot_hash: d.screenshot_hash,
            url: d.url,
            title: d.title,
            at,
          },
        ],
        console_errors: [...new Set([...next.console_errors, ...(d.console_errors ?? [])])],
        failed_requests: [
          ...next.failed_requests,
          ...(d.failed_requests ?? []).filter(
            (r) =>
              !next.failed_requests.some(
                (x) => x.url === r.url && x.method === r.method && x.status === r.status,
              ),
          ),
        ],
      };
    }
    case "DriftDetected":
      return { ...next, drift: [...next.drift, event.data] };
    case "AccessibilityScanned":
      return { ...next, accessibility: [...(next.accessibility ?? []), event.data] };
    case "PerformanceMeasured":
      return { ...next, performance: [...(next.performance ?? []), event.data] };
    case "SecurityChecked":
      return { ...next, security: [...(next.security ?? []), event.data] };
    case "RunHealing":
      return {
        ...next,
        status: "healing",
        completed_at: undefined,
        steps: next.steps.map((s) =>
          s.index >= event.data.from_index && (s.status === "failed" || s.status === "skipped")
            ? { ...s, status: "pending", attempts: 0, skip_reason: undefined }
            : s,
        ),
      };
    case "RunCompleted":
      return {
        ...next,
        status: event.data.status,
        completed_at: at,
        duration_ms: event.data.duration_ms,
        error: event.data.error,
        current_index: undefined,
      };
    case "RunStopped":
      return { ...next, status: "stopped", stop: event.data, current_index: undefined, completed_at: at };
    case "RunResumed":
      return {
        ...next,
        status: "running",
        resumes: next.resumes + 1,
        stop: undefined,
        completed_at: undefined,
        current_index: undefined,
        steps: next.steps.map((s) => (s.status === "running" ? { ...s, status: "pending" } : s)),
      };
  }
}

export function foldRun(
  events: (RunEvent & { recordedAt?: Date })[],
  from: RunState = initialRunState(),
): RunState {
  return events.reduce(evolve, from);
}

/** Folds a run's events as the log stores them. */
export function foldRecordedRun(events: RecordedEvent[]): RunState {
  return foldRun(
    events.map(
      (e) => ({ type: e.type, data: e.data, recordedAt: e.recordedAt }) as RunEvent & { recordedAt: Date },
    ),
  );
}

/** How many of a run's steps passed, were healed, failed or were skipped; `succeeded` is passed and healed. */
export function stepCounts(state: Pick<RunState, "steps">) {
  const c = { total: state.steps.length, passed: 0, healed: 0, failed: 0, skipped: 0, succeeded: 0 };
  for (const s of state.steps) {
    if (s.status === "passed" || s.status === "healed" || s.status === "failed" || s.status === "skipped")
      c[s.status]++;
  }
  c.succeeded = c.passed + c.healed;
  return c;
}

/** The next step to run: the first pending one, in order. */
export function nextPendingStep(state: RunState): StepState | undefined {
  return state.steps.find((s) => s.status === "pending");
}
