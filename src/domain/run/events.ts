import { z } from "zod";
import { defineEvent } from "../events/registry.js";
import { ElementLocator, Fingerprint } from "../healing/fingerprint.js";
import { ACTION_TYPES } from "../plan/model.js";

/** Every event of a test run's stream (`run-<id>`). Field names follow the spec's snake_case models. */

const index = z.number().int().nonnegative();
const stepId = z.string().min(1);
const phase = z.enum(["setup", "test", "teardown"]);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const strategy = z.enum(["explicit", "learned", "accessibility", "vision"]);
const decision = z.enum(["auto_commit", "propose", "manual_review", "reject"]);
const role = z.enum(["target", "source", "destination"]);

// The plan as stored: loose about step params (validated when the plan was parsed), strict about shape.
const StoredStep = z.object({
  step_id: z.string(),
  description: z.string(),
  action: z.enum(ACTION_TYPES),
  params: z.record(z.string(), z.unknown()),
  expected_outcome: z.string().optional(),
  timeout: z.number(),
  retry_on_failure: z.boolean(),
  max_retries: z.number().int(),
  critical: z.boolean(),
});
export const StoredPlan = z.object({
  plan_id: z.string(),
  plan_version: z.string(),
  name: z.string(),
  description: z.string(),
  requirements: z.string(),
  application_url: z.string(),
  browser: z.string(),
  framework: z.enum(["auto", "playwright", "webdriverio"]),
  vision_model: z.string(),
  test_scope: z.array(z.enum(["functional", "accessibility", "security", "performance"])),
  setup_steps: z.array(StoredStep),
  test_steps: z.array(StoredStep),
  teardown_steps: z.array(StoredStep),
  tags: z.array(z.string()),
  created_by: z.string(),
});

export const RunRequested = defineEvent({
  type: "RunRequested",
  version: 1,
  schema: z.object({
    run_id: z.string().uuid(),
    application_url: z.string(),
    application_version: z.string().optional(),
    driver: z.enum(["playwright", "webdriverio"]),
    source: z.enum(["plan", "requirements", "api", "replay"]),
    requested_by: z.string().optional(),
    /** The run this one replays, re-executes or heals. */
    related_run: z.string().uuid().optional(),
    /** Steps arrive one by one (an agent driving the browser) and the run ends when it is finished. */
    interactive: z.boolean().optional(),
  }),
});

/** A step an interactive run was given while running; it joins the plan's test steps. */
export const StepAdded = defineEvent({
  type: "StepAdded",
  version: 1,
  schema: z.object({ index, step: StoredStep }),
});

export const PlanGenerated = defineEvent({
  type: "PlanGenerated",
  version: 1,
  schema: z.object({
    plan: StoredPlan,
    planner: z.enum(["file", "deterministic", "model", "recorded"]),
    /** Sentences of the requirements the planner could not turn into steps. */
    unparsed: z.array(z.string()),
  }),
});

export const PlanGenerationFailed = defineEvent({
  type: "PlanGenerationFailed",
  version: 1,
  schema: z.object({ planner: z.string(), error: z.string(), attempts: z.number().int() }),
});

export const RunStarted = defineEvent({
  type: "RunStarted",
  version: 1,
  schema: z.object({ driver: z.enum(["playwright", "webdriverio"]), browser_version: z.string().optional() }),
});

export const StepStarted = defineEvent({
  type: "StepStarted",
  version: 1,
  schema: z.object({
    index,
    step_id: stepId,
    phase,
    action: z.enum(ACTION_TYPES),
    description: z.string(),
    attempt: z.number().int().min(1),
  }),
});

export const ElementLocated = defineEvent({
  type: "ElementLocated",
  version: 1,
  schema: z.object({
    index,
    step_id: stepId,
    role,
    strategy,
    locator: ElementLocator,
    confidence: z.number().min(0).max(1),
    fingerprint: Fingerprint,
  }),
});

export const WaitObserved = defineEvent({
  type: "WaitObserved",
  version: 1,
  schema: z.object({
    index,
    key: z.string(),
    wait: z.enum([
      "locate",
      "assert",
      "navigation",
      "network_idle",
      "dom_quiet",
      "visual_stability",
      "fixed",
    ]),
    duration_ms: z.number().nonnegative(),
    success: z.boolean(),
  }),
});

export const HealingAttempted = defineEvent({
  type: "HealingAttempted",
  version: 1,
  schema: z.object({
    healing_id: z.string().uuid(),
    index,
    step_id: stepId,
    role,
    original_locator: ElementLocator.optional(),
    reason: z.string(),
    candidates: z.number().int().nonnegative(),
  }),
});

export const LocatorHealed = defineEvent({
  type: "LocatorHealed",
  version: 1,
  schema: z.object({
    healing_id: z.string().uuid(),
    index,
    step_id: stepId,
    role,
    old_locator: ElementLocator.optional(),
    new_locator: ElementLocator,
    method: z.enum(["dom_fingerprint", "semantic_search", "visual_similarity"]),
    confidence: z.number().min(0).max(1),
    decision,
    old_fingerprint: Fingerprint.optional(),
    new_fingerprint: Fingerprint,
    screenshot_before: sha256.optional(),
    screenshot_after: sha256.optional(),
  }),
});

/**
 * Whether a heal held up: the first check after it (an assert step or a step's expected outcome) passed or
 * failed. An unsuccessful heal's step counts as failed, never as healed.
 */
export const HealingVerified = defineEvent({
  type: "HealingVerified",
  version: 1,
  schema: z.object({
    healing_id: z.string().uuid(),
    successful: z.boolean(),
    by_index: index.optional(),
    reason: z.string(),
  }),
});

export const HealingReviewed = defineEvent({
  type: "HealingReviewed",
  version: 1,
  schema: z.object({
    healing_id: z.string().uuid(),
    approved: z.boolean(),
    reviewer: z.string().min(1),
    note: z.string().optional(),
  }),
});

export const StepPassed = defineEvent({
  type: "StepPassed",
  version: 1,
  schema: z.object({
    index,
    step_id: stepId,
    attempt: z.number().int().min(1),
    duration_ms: z.number().nonnegative(),
    healing_id: z.string().uuid().optional(),
    /** What was checked, for reports ("text 'Welcome, alice' visible"). */
    detail: z.string().optional(),
  }),
});

export const StepFailed = defineEvent({
  type: "StepFailed",
  version: 1,
  schema: z.object({
    index,
    step_id: stepId,
    attempt: z.number().int().min(1),
    duration_ms: z.number().nonnegative(),
    error: z.string(),
    screenshot_hash: sha256.optional(),
    will_retry: z.boolean(),
    healing_id: z.string().uuid().optional(),
  }),
});

export const StepSkipped = defineEvent({
  type: "StepSkipped",
  version: 1,
  schema: z.object({ index, step_id: stepId, reason: z.string() }),
});

export const SnapshotCaptured = defineEvent({
  type: "SnapshotCaptured",
  version: 1,
  schema: z.object({
    index: index.optional(),
    snapshot_hash: sha256,
    screenshot_hash: sha256.optional(),
    url: z.string(),
    title: z.string(),
    dom_hash: sha256,
    /** Console errors and uncaught exceptions the session had seen by then (the last 20). */
    console_errors: z.array(z.string()).optional(),
    /** Requests that failed or answered 4xx/5xx by then (the last 20). */
    failed_requests: z
      .array(
        z.object({
          url: z.string(),
          method: z.string(),
          status: z.number().int().optional(),
          failure: z.string().optional(),
        }),
      )
      .optional(),
  }),
});

/** An accessibility scan of a page state the run reached (WCAG 2.1 A and AA, with axe-core). */
export const AccessibilityScanned = defineEvent({
  type: "AccessibilityScanned",
  version: 1,
  schema: z.object({
    index,
    url: z.string(),
    /** The page, ids folded: violations on the same page and rule are one issue across runs. */
    page: z.string(),
    violations: z.array(
      z.object({
        rule: z.string(),
        impact: z.enum(["minor", "moderate", "serious", "critical"]).nullable(),
        wcag: z.array(z.string()),
        help: z.string(),
        help_url: z.string(),
        targets: z.array(z.string()),
        /** A crop of the page's screenshot around the first offending node, when it was in view. */
        screenshot_hash: sha256.optional(),
      }),
    ),
  }),
});

/** Core Web Vitals of a page load the run made, and the budgets they broke. */
export const PerformanceMeasured = defineEvent({
  type: "PerformanceMeasured",
  version: 1,
  schema: z.object({
    index,
    url: z.string(),
    page: z.string(),
    metrics: z.object({
      time_origin: z.number(),
      ttfb_ms: z.number(),
      fcp_ms: z.number().nullable(),
      lcp_ms: z.number().nullable(),
      cls: z.number(),
      tbt_ms: z.number(),
      tti_ms: z.number(),
      transfer_bytes: z.number(),
      requests: z.number().int(),
    }),
    breaches: z.array(
      z.object({
        metric: z.enum(["fcp_ms", "lcp_ms", "cls", "tti_ms"]),
        value: z.number(),
        budget: z.number(),
      }),
    ),
  }),
});

/** Findings of the passive security checks on a page the run reached, each new to this run. */
export const SecurityChecked = defineEvent({
  type: "SecurityChecked",
  version: 1,
  schema: z.object({
    index,
    url: z.string(),
    page: z.string(),
    findings: z.array(
      z.object({
        rule: z.string(),
        severity: z.enum(["low", "medium", "high"]),
        owasp: z.string(),
        detail: z.string(),
      }),
    ),
  }),
});

const DriftElement = z.object({
  role: z.string(),
  name: z.string(),
  box: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
  interactive: z.boolean(),
});

/** A drift check's result (spec DriftDetectionResult), on the baseline's stream or, during a run, the run's. */
export const DriftDetected = defineEvent({
  type: "DriftDetected",
  version: 2,
  schema: z.object({
    detection_id: z.string().uuid(),
    baseline_id: z.string().optional(),
    page: z.string(),
    index: index.optional(),
    run_id: z.string().uuid().optional(),
    severity: z.enum(["none", "cosmetic", "structural", "functional", "critical"]),
    drift_detected: z.boolean(),
    similarity: z.number().min(0).max(1),
    pixel_diff_ratio: z.number().min(0).max(1),
    embedding_distance: z.number().min(0),
    current_screenshot_hash: sha256.optional(),
    changed_regions: z.array(
      z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
    ),
    new_elements: z.array(DriftElement),
    removed_elements: z.array(DriftElement),
    changed_elements: z.array(
      z.object({
        kind: z.enum(["renamed", "role_changed", "moved"]),
        before: DriftElement,
        after: DriftElement,
        distance: z.number(),
      }),
    ),
    reasons: z.array(z.string()),
    description: z.string(),
    impact_assessment: z.string(),
    recommended_actions: z.array(z.string()),
    /** "rules", or the model that wrote the description. */
    described_by: z.string(),
  }),
  upcasters: {
    1: (data) => {
      const d = data as { severity: string; similarity: number };
      return {
        ...d,
        drift_detected: d.severity !== "none",
        pixel_diff_ratio: 1 - d.similarity,
        embedding_distance: 0,
        changed_regions: [],
        new_elements: [],
        removed_elements: [],
        changed_elements: [],
        reasons: [],
        impact_assessment: "",
        described_by: "rules",
      };
    },
  },
});

export const RunHealing = defineEvent({
  type: "RunHealing",
  version: 1,
  schema: z.object({ from_index: index, reason: z.string() }),
});

export const RunCompleted = defineEvent({
  type: "RunCompleted",
  version: 1,
  schema: z.object({
    status: z.enum(["passed", "failed", "error"]),
    duration_ms: z.number().nonnegative(),
    passed: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    healed: z.number().int(),
    error: z.string().optional(),
  }),
});

export const RunStopped = defineEvent({
  type: "RunStopped",
  version: 1,
  schema: z.object({ reason: z.string(), snapshot_hash: sha256.optional(), resumable: z.boolean() }),
});

export const RunResumed = defineEvent({
  type: "RunResumed",
  version: 1,
  schema: z.object({
    from_index: index,
    snapshot_hash: sha256.optional(),
    driver: z.enum(["playwright", "webdriverio"]),
  }),
});

export const RUN_EVENTS = [
  RunRequested,
  PlanGenerated,
  PlanGenerationFailed,
  RunStarted,
  StepAdded,
  StepStarted,
  ElementLocated,
  WaitObserved,
  HealingAttempted,
  LocatorHealed,
  HealingVerified,
  HealingReviewed,
  StepPassed,
  StepFailed,
  StepSkipped,
  SnapshotCaptured,
  AccessibilityScanned,
  PerformanceMeasured,
  SecurityChecked,
  DriftDetected,
  RunHealing,
  RunCompleted,
  RunStopped,
  RunResumed,
] as const;

type DataOf<D> = D extends { type: infer T; schema: infer S extends z.ZodType }
  ? { type: T; data: z.infer<S> }
  : never;
/** A run event as the domain sees it: type and data. */
export type RunEvent = DataOf<(typeof RUN_EVENTS)[number]>;

export const runStreamId = (runId: string) => `run-${runId}`;
