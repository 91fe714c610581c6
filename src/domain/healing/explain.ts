import { FEATURES, type FeatureName, featuresOf, type HealingModel, type Identity } from "./features.js";
import type { Fingerprint } from "./fingerprint.js";
import { HEALING_MODEL } from "./weights.js";

/** One piece of evidence the model weighed for a candidate: how much it agreed, and what that was worth. */
export interface EvidencePart {
  feature: FeatureName;
  /** The fitted weight of this feature. */
  weight: number;
  /** The evidence itself, in [−1, 1]: +1 agrees fully, −1 disagrees, between is partial. */
  evidence: number;
  /** weight × evidence: what this feature added to (or took from) the candidate's utility. */
  contribution: number;
}

export interface HealExplanation {
  /** The candidate's utility: the sum of the contributions. */
  utility: number;
  /** The utility of "the element is gone": a candidate must beat it, and its rivals, to be trusted. */
  removedUtility: number;
  /** Features that said something (non-zero evidence and weight), largest effect first. */
  parts: EvidencePart[];
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Why the model thought `found` was the element known by `identity`: each feature's evidence and its
 * contribution to the utility the heal's probability was computed from. Features without evidence
 * (the recorded element lacked that property) or without weight are left out: they moved nothing.
 */
export function explainHeal(
  identity: Identity,
  found: Fingerprint,
  viewportDiagonal?: number,
  model: HealingModel = HEALING_MODEL,
): HealExplanation {
  const values = featuresOf(identity, found, viewportDiagonal);
  const parts = FEATURES.map((feature, i) => {
    const weight = model.weights[i] ?? 0;
    const evidence = values[i] ?? 0;
    return {
      feature,
      weight: round(weight),
      evidence: round(evidence),
      contribution: round(weight * evidence),
    };
  })
    .filter((p) => p.evidence !== 0 && p.weight !== 0)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return {
    utility: round(values.reduce((s, v, i) => s + v * (model.weights[i] ?? 0), 0)),
    removedUtility: round(model.removed),
    parts,
  };
}
