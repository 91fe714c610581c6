import type { TestPlan, TestStep } from "../plan/model.js";
import type { RunEventData } from "./events.js";

type Driver = "playwright" | "webdriverio";

/** Kinds of fact the executor observes during a step. */
export const OBSERVED = [
  "ElementLocated",
  "WaitObserved",
  "HealingAttempted",
  "LocatorHealed",
  "SnapshotCaptured",
  "DriftDetected",
  "AccessibilityScanned",
  "PerformanceMeasured",
  "SecurityChecked",
  "RequestRefused",
] as const;
type Observed = (typeof OBSERVED)[number];

/** A fact the executor observed during a step, with the time it saw it; recorded before the outcome. */
export type Observation = { [T in Observed]: { type: T; data: RunEventData<T> } }[Observed];
/** An observation's data before the executor stamps it with the time. */
export type ObservedData<T extends Observed> = Omit<RunEventData<T>, "at">;
/** A fact as the parts of the executor find it; the executor stamps it with the time it saw it. */
export type Fact = { [T in Observed]: { type: T; data: ObservedData<T> } }[Observed];

export type StepOutcome =
  | { passed: true; duration_ms: number; detail?: string; healing_id?: string }
  | {
      passed: false;
      duration_ms: number;
      error: string;
      screenshot_hash?: string;
      healing_id?: string;
      /** False when another attempt cannot change the result (a check already waited its whole timeout). */
      retriable?: boolean;
    };

type Body =
  | {
      type: "RequestRun";
      run_id: string;
      application_url: string;
      application_version?: string;
      driver: Driver;
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
  | { type: "StartRun"; driver: Driver; browser_version?: string }
  | { type: "StartStep"; index: number }
  | { type: "FinishStep"; index: number; observations: Observation[]; outcome: StepOutcome }
  | { type: "DropStep"; index: number; reason: string }
  | { type: "SkipRemaining"; reason: string }
  | { type: "RecordObservations"; observations: Observation[] }
  | { type: "CompleteRun"; duration_ms: number; error?: string }
  | { type: "StopRun"; reason: string; snapshot_hash?: string; resumable: boolean }
  | { type: "ResumeRun"; driver: Driver; snapshot_hash?: string }
  | { type: "StartHealing"; reason: string }
  | { type: "TakeOverRun"; worker: string; previous_worker?: string; lease_expired_at?: string }
  | { type: "ReviewHealing"; healing_id: string; approved: boolean; reviewer: string; note?: string };

/** A command on a run. Its time (`at`, ISO 8601) is when it was given; decide writes it into the events. */
export type RunCommand = Body & { at: string };
