import type { BoundingBox } from "../vision/model.js";
import type { ElementRef, StructureDiff } from "./dom-diff.js";

export const SEVERITIES = ["none", "cosmetic", "structural", "functional", "critical"] as const;
export type DriftSeverity = (typeof SEVERITIES)[number];

export interface DriftThresholds {
  /** Below this share of differing pixels (after anti-aliasing is excluded), pixels alone are noise. */
  noisePixelRatio: number;
  /**
   * A pixel change counts when one region holds at least this many differing pixels: sub-pixel rendering
   * noise scatters a few dozen per region at most (49 in the drift bench); a 16×16 icon recoloured is 256.
   */
  minChangePixels: number;
  /** Embedding distance above which the look changed enough to be structural with no DOM change (a canvas). */
  structuralEmbeddingDistance: number;
  /** Share of the baseline's interactive elements gone that makes the drift critical. */
  criticalRemovedShare: number;
}

export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = {
  noisePixelRatio: 0.0005,
  minChangePixels: 96,
  structuralEmbeddingDistance: 0.15,
  criticalRemovedShare: 0.5,
};

export interface DriftEvidence {
  structure: StructureDiff;
  pixelDiffRatio: number;
  regions: BoundingBox[];
  /** Differing pixels per region, in the order of `regions`. */
  regionPixels: number[];
  embeddingDistance: number;
  sizeChanged: boolean;
}

export interface DriftVerdict {
  severity: DriftSeverity;
  drift_detected: boolean;
  /** Why, rule by rule, in the order the rules were checked. */
  reasons: string[];
  change_description: string;
  impact_assessment: string;
  recommended_actions: string[];
}

const named = (e: ElementRef) => `${e.role} "${e.name}"`;
const list = (items: string[], max = 5) =>
  items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;

/**
 * The documented severity rules (README, "Drift detection"), strongest first:
 *
 * - critical: every interactive element of the baseline is gone, or at least two and half or more of them
 *   (the page is another page, an error page, or broken). Renamed elements do not count here: they are
 *   still there to heal to.
 * - functional: an interactive element was removed, renamed or given another role: steps that target it
 *   by name or role break.
 * - structural: an interactive element was added; a landmark or text block was added or removed; an element
 *   moved; the screen size changed; or the embedding moved past its threshold with no DOM change.
 * - cosmetic: text outside interactive elements changed, or pixels changed beyond noise (colour, font,
 *   image) with the structure intact. Noise is a differing-pixel share under `noisePixelRatio`, or no region
 *   with `minChangePixels` differing pixels; differences explained by a sub-pixel shift are not counted.
 * - none: pixel differences within noise and nothing else.
 */
export function classifyDrift(
  evidence: DriftEvidence,
  thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS,
): DriftVerdict {
  const { structure: s } = evidence;
  const removedInteractive = s.removed.filter((e) => e.interactive);
  const addedInteractive = s.added.filter((e) => e.interactive);
  const brokenInteractive = s.changed.filter(
    (c) => (c.kind === "renamed" || c.kind === "role_changed") && c.before.interactive,
  );
  const renamedText = s.changed.filter((c) => c.kind === "renamed" && !c.before.interactive);
  const moved = s.changed.filter((c) => c.kind === "moved");
  const structureOnly = [...s.added, ...s.removed].filter((e) => !e.interactive);
  const pixels =
    evidence.pixelDiffRatio >= thresholds.noisePixelRatio &&
    Math.max(0, ...evidence.regionPixels) >= thresholds.minChangePixels;

  const reasons: string[] = [];
  let severity: DriftSeverity = "none";
  const raise = (to: DriftSeverity, why: string) => {
    reasons.push(`${to}: ${why}`);
    if (SEVERITIES.indexOf(to) > SEVERITIES.indexOf(severity)) severity = to;
  };

  const remaining = s.baselineInteractive - removedInteractive.length;
  if (
    s.baselineInteractive > 0 &&
    (remaining === 0 ||
      (removedInteractive.length >= 2 &&
        removedInteractive.length >= s.baselineInteractive * thresholds.criticalRemovedShare))
  )
    raise(
      "critical",
      `${removedInteractive.length} of ${s.baselineInteractive} interactive elements are gone`,
    );
  if (removedInteractive.length) raise("functional", `removed ${list(removedInteractive.map(named))}`);
  for (const c of brokenInteractive)
    raise(
      "functional",
      c.kind === "renamed"
        ? `${named(c.before)} is now "${c.after.name}"`
        : `${named(c.before)} is now a ${c.after.role}`,
    );
  if (addedInteractive.length) raise("structural", `added ${list(addedInteractive.map(named))}`);
  if (structureOnly.length)
    raise(
      "structural",
      `${list(structureOnly.map((e) => `${s.added.includes(e) ? "added" : "removed"} ${named(e)}`))}`,
    );
  if (moved.length)
    raise(
      "structural",
      `moved ${list(moved.map((c) => `${named(c.before)} by ${Math.round(c.distance)} px`))}`,
    );
  if (evidence.sizeChanged) raise("structural", "the screen's size changed");
  if (
    severity === "none" &&
    !renamedText.length &&
    evidence.embeddingDistance > thresholds.structuralEmbeddingDistance
  )
    raise(
      "structural",
      `the screen's embedding moved ${evidence.embeddingDistance.toFixed(3)} (over ${thresholds.structuralEmbeddingDistance}) with the same elements`,
    );
  for (const c of renamedText) raise("cosmetic", `text ${named(c.before)} now reads "${c.after.name}"`);
  if (pixels)
    raise(
      "cosmetic",
      `${(evidence.pixelDiffRatio * 100).toFixed(2)} % of pixels differ in ${evidence.regions.length} region${evidence.regions.length === 1 ? "" : "s"}`,
    );

  return {
    severity,
    drift_detected: severity !== "none",
    reasons,
    change_description:
      severity === "none"
        ? "No change beyond rendering noise."
        : reasons.map((r) => r.slice(r.indexOf(": ") + 2)).join("; "),
    impact_assessment: IMPACT[severity],
    recommended_actions: actionsFor(
      severity,
      removedInteractive,
      brokenInteractive.map((c) => c.before),
    ),
  };
}

const IMPACT: Record<DriftSeverity, string> = {
  none: "Tests are not affected.",
  cosmetic: "Functional tests keep working; visual comparisons against this baseline will differ.",
  structural:
    "Steps still find their elements by name, but layout-dependent steps, scrolling and visual checks may change.",
  functional: "Steps that target the removed or changed elements will fail or heal.",
  critical: "Most steps on this page will fail: the page no longer offers what the baseline did.",
};

function actionsFor(severity: DriftSeverity, removed: ElementRef[], changed: ElementRef[]): string[] {
  switch (severity) {
    case "none":
      return [];
    case "cosmetic":
      return ["Review the change; if intended, capture and approve a new baseline for this version."];
    case "structural":
      return [
        "Run the affected tests to confirm they still pass.",
        "If the new layout is intended, capture and approve a new baseline for this version.",
      ];
    case "functional":
      return [
        `Update or heal the steps that target ${list([...removed, ...changed].map(named))}.`,
        "Run the affected tests with healing on and review the proposed heals.",
        "If the change is intended, capture and approve a new baseline.",
      ];
    case "critical":
      return [
        "Check that the application is deployed and the URL serves the expected page.",
        "Hold test runs against this page until it is fixed; they would fail.",
      ];
  }
}
