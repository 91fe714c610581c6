import { z } from "zod";
import { defineEvent } from "../../events/registry.js";
import { at, atFromEnvelope, index, sha256 } from "./shared.js";

/** What the quality checks found on the pages a run reached. */

/** An accessibility scan of a page state the run reached (WCAG 2.1 A and AA, with axe-core). */
export const AccessibilityScanned = defineEvent({
  type: "AccessibilityScanned",
  version: 2,
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
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

/** Core Web Vitals of a page load the run made, and the budgets they broke. */
export const PerformanceMeasured = defineEvent({
  type: "PerformanceMeasured",
  version: 2,
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
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

/** Findings of the passive security checks on a page the run reached, each new to this run. */
export const SecurityChecked = defineEvent({
  type: "SecurityChecked",
  version: 2,
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
    at,
  }),
  upcasters: { 1: atFromEnvelope },
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
  version: 3,
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
    at,
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
    2: atFromEnvelope,
  },
});

export const QUALITY_EVENTS = [
  AccessibilityScanned,
  PerformanceMeasured,
  SecurityChecked,
  DriftDetected,
] as const;
