import type { ElementLocator, Fingerprint } from "../../domain/healing/fingerprint.js";
import type { HealingDecision } from "../../domain/healing/score.js";
import type { Role } from "../../domain/locators/locators.js";
import type { Phase, StepStatus, TestPlan, TestStatus } from "../../domain/plan/model.js";
import type { Located, RunEventData } from "../../domain/run/events.js";

/** The shape of a run's details: everything a run showed, as the report, time travel and the console read it. */

export interface StepDetails {
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
  /** Waits of the step's last attempt: what it waited for and how long. */
  waits: { wait: string; duration_ms: number; success: boolean }[];
  healing_id?: string;
  skip_reason?: string;
}

export interface HealingDetails {
  healing_id: string;
  index: number;
  step_id: string;
  role: Role;
  method: string;
  confidence: number;
  decision: HealingDecision;
  old_locator?: ElementLocator;
  new_locator: ElementLocator;
  old_fingerprint?: Fingerprint;
  new_fingerprint: Fingerprint;
  screenshot_before?: string;
  screenshot_after?: string;
  successful?: boolean;
  verified_reason?: string;
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

export interface RunDetails {
  run_id?: string;
  status: TestStatus | "none";
  /** Events folded so far: the stream version these details stand at. */
  version: number;
  plan?: TestPlan;
  planner?: string;
  unparsed: string[];
  application_url?: string;
  application_version?: string;
  driver?: "playwright" | "webdriverio";
  source?: string;
  requested_by?: string;
  related_run?: string;
  interactive?: boolean;
  steps: StepDetails[];
  healings: Record<string, HealingDetails>;
  snapshots: SnapshotRef[];
  drift: RunEventData<"DriftDetected">[];
  accessibility: RunEventData<"AccessibilityScanned">[];
  performance: RunEventData<"PerformanceMeasured">[];
  security: RunEventData<"SecurityChecked">[];
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
}

export const initialDetails = (): RunDetails => ({
  status: "none",
  version: 0,
  unparsed: [],
  steps: [],
  healings: {},
  snapshots: [],
  drift: [],
  accessibility: [],
  performance: [],
  security: [],
  console_errors: [],
  failed_requests: [],
});
