import type { RecordedEvent } from "../../domain/events/envelope.js";
import { allSteps, type Phase, type TestStep } from "../../domain/plan/model.js";
import type { RunEvent } from "../../domain/run/events.js";
import { initialDetails, type RunDetails, type StepDetails } from "./details-model.js";

export type { Located } from "../../domain/run/events.js";
export * from "./details-model.js";

/**
 * Everything a run showed, for its report, time travel and the console: the run report's own fold of the
 * run's events. The aggregate keeps only what its decisions need; this keeps what people and agents read.
 */

const stepOf = (phase: Phase, index: number, step: TestStep): StepDetails => ({
  index,
  step_id: step.step_id,
  phase,
  action: step.action,
  description: step.description,
  critical: step.critical,
  status: "pending",
  attempts: 0,
  located: [],
  waits: [],
});

const withStep = (d: RunDetails, index: number, change: (s: StepDetails) => StepDetails): RunDetails => ({
  ...d,
  steps: d.steps.map((s) => (s.index === index ? change(s) : s)),
});

const union = <T>(seen: T[], more: T[] | undefined, key: (x: T) => string) => {
  const keys = new Set(seen.map(key));
  return [...seen, ...(more ?? []).filter((x) => !keys.has(key(x)) && keys.add(key(x)))];
};

/** Folds one run event into the details. Pure; times come from the events. */
export function evolveDetails(d: RunDetails, event: RunEvent): RunDetails {
  const next: RunDetails = { ...d, version: d.version + 1 };
  switch (event.type) {
    case "RunRequested": {
      const { at, interactive, ...e } = event.data;
      return { ...next, ...e, ...(interactive ? { interactive } : {}), status: "pending", requested_at: at };
    }
    case "PlanGenerated": {
      const { plan, planner, unparsed } = event.data;
      const steps = allSteps(plan).map(({ phase, index, step }) => stepOf(phase, index, step));
      return { ...next, plan, planner, unparsed, steps };
    }
    case "StepAdded": {
      const plan = next.plan && { ...next.plan, test_steps: [...next.plan.test_steps, event.data.step] };
      return { ...next, plan, steps: [...next.steps, stepOf("test", event.data.index, event.data.step)] };
    }
    case "PlanGenerationFailed":
      return { ...next, status: "error", error: event.data.error, completed_at: event.data.at };
    case "RunStarted":
      return { ...next, status: "running", driver: event.data.driver, started_at: event.data.at };
    case "StepStarted": {
      const { index, attempt, at } = event.data;
      const started = withStep(next, index, (s) => ({
        ...s,
        status: "running",
        attempts: attempt,
        started_at: at,
        error: undefined,
        healing_id: undefined,
        located: [],
        waits: [],
      }));
      return { ...started, current_index: index };
    }
    case "ElementLocated": {
      const { role, strategy, locator, confidence, fingerprint } = event.data;
      const located = { role, strategy, locator, confidence, fingerprint };
      return withStep(next, event.data.index, (s) => ({
        ...s,
        located: [...s.located.filter((l) => l.role !== role), located],
      }));
    }
    case "WaitObserved": {
      const { wait, duration_ms, success } = event.data;
      return withStep(next, event.data.index, (s) => ({
        ...s,
        waits: [...s.waits, { wait, duration_ms, success }],
      }));
    }
    case "LocatorHealed": {
      const { at, ...h } = event.data;
      return { ...next, healings: { ...next.healings, [h.healing_id]: { ...h, at } } };
    }
    case "HealingVerified": {
      const h = next.healings[event.data.healing_id];
      if (!h) return next;
      const { successful, reason } = event.data;
      const healings = { ...next.healings, [h.healing_id]: { ...h, successful, verified_reason: reason } };
      if (successful) return { ...next, healings };
      return withStep({ ...next, healings }, h.index, (s) =>
        s.status === "healed" ? { ...s, status: "failed", error: reason } : s,
      );
    }
    case "HealingReviewed": {
      const h = next.healings[event.data.healing_id];
      if (!h) return next;
      const { approved, reviewer, note, at } = event.data;
      const review = { approved, reviewer, ...(note ? { note } : {}), at };
      return { ...next, healings: { ...next.healings, [h.healing_id]: { ...h, review } } };
    }
    case "StepPassed": {
      const { index, duration_ms, detail, healing_id, at } = event.data;
      return withStep({ ...next, current_index: undefined }, index, (s) => ({
        ...s,
        status: healing_id ? "healed" : "passed",
        duration_ms,
        completed_at: at,
        detail,
        healing_id,
      }));
    }
    case "StepFailed": {
      const { index, duration_ms, error, will_retry, healing_id, at } = event.data;
      return withStep({ ...next, current_index: undefined }, index, (s) => ({
        ...s,
        // A failure that will be retried leaves the step to run again.
        status: will_retry ? "pending" : "failed",
        duration_ms,
        completed_at: at,
        error,
        screenshot_hash: event.data.screenshot_hash ?? s.screenshot_hash,
        healing_id,
      }));
    }
    case "StepSkipped":
    case "StepDropped":
      return withStep(next, event.data.index, (s) => ({
        ...s,
        status: "skipped",
        skip_reason: event.data.reason,
      }));
    case "SnapshotCaptured": {
      const { index, snapshot_hash, screenshot_hash, url, title, at } = event.data;
      const ref = {
        ...(index !== undefined ? { index } : {}),
        snapshot_hash,
        screenshot_hash,
        url,
        title,
        at,
      };
      return {
        ...next,
        snapshots: [...next.snapshots, ref],
        console_errors: union(next.console_errors, event.data.console_errors, (x) => x),
        failed_requests: union(
          next.failed_requests,
          event.data.failed_requests,
          (r) => `${r.method} ${r.url} ${r.status}`,
        ),
      };
    }
    case "DriftDetected":
      return { ...next, drift: [...next.drift, event.data] };
    case "AccessibilityScanned":
      return { ...next, accessibility: [...next.accessibility, event.data] };
    case "PerformanceMeasured":
      return { ...next, performance: [...next.performance, event.data] };
    case "SecurityChecked":
      return { ...next, security: [...next.security, event.data] };
    case "HealingAttempted":
    case "RequestRefused": // the step's error names the refused host
      return next;
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
    case "RunCompleted": {
      const { status, duration_ms, error, at } = event.data;
      return { ...next, status, completed_at: at, duration_ms, error, current_index: undefined };
    }
    case "RunStopped": {
      const { at, ...stop } = event.data;
      return { ...next, status: "stopped", stop, current_index: undefined, completed_at: at };
    }
    case "RunResumed":
      return {
        ...next,
        status: "running",
        stop: undefined,
        completed_at: undefined,
        current_index: undefined,
        steps: next.steps.map((s) => (s.status === "running" ? { ...s, status: "pending" } : s)),
      };
    case "RunTakenOver":
      // Which worker ran the run is the queue's business; the event itself stays in the run's timeline.
      return next;
  }
}

export function foldDetails(events: RunEvent[], from: RunDetails = initialDetails()): RunDetails {
  return events.reduce(evolveDetails, from);
}

/** Folds a run's events as the log stores them. */
export function foldRecordedDetails(events: RecordedEvent[], from?: RunDetails): RunDetails {
  return foldDetails(events as unknown as RunEvent[], from);
}
