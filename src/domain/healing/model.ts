import { FEATURES, featuresOf, type HealingModel, type Identity } from "./features.js";
import type { Fingerprint } from "./fingerprint.js";
import { HEALING_MODEL } from "./weights.js";

export type { HealingModel };

export interface ModelRanked<T> {
  candidate: T;
  fingerprint: Fingerprint;
  /** Probability that this candidate is the element. */
  probability: number;
  utility: number;
  features: number[];
}

export interface ModelRanking<T> {
  ranked: ModelRanked<T>[];
  /** Probability of the best candidate: the heal's confidence. */
  confidence: number;
  /** Probability that none of the candidates is the element. */
  removed: number;
}

export const utilityOf = (model: HealingModel, features: number[]) =>
  features.reduce((s, v, i) => s + v * (model.weights[i] ?? 0), 0);

/** Turns utilities into probabilities over the candidates and "removed" (stable under large utilities). */
export function choiceProbabilities(
  utilities: number[],
  removedUtility: number,
): { candidates: number[]; removed: number } {
  const top = Math.max(removedUtility, ...utilities);
  const e = utilities.map((u) => Math.exp(u - top));
  const en = Math.exp(removedUtility - top);
  const z = e.reduce((a, b) => a + b, en);
  return { candidates: e.map((v) => v / z), removed: en / z };
}

export function rankWithModel<T>(
  identity: Identity,
  candidates: { candidate: T; fingerprint: Fingerprint }[],
  viewportDiagonal?: number,
  model: HealingModel = HEALING_MODEL,
): ModelRanking<T> {
  if (model.features.length !== FEATURES.length || model.features.some((f, i) => f !== FEATURES[i])) {
    throw new Error("the healing model's features do not match the feature extractor; refit the weights");
  }
  const scored = candidates.map((c) => {
    const features = featuresOf(identity, c.fingerprint, viewportDiagonal);
    return { ...c, features, utility: utilityOf(model, features) };
  });
  const p = choiceProbabilities(
    scored.map((s) => s.utility),
    model.removed,
  );
  const ranked = scored
    .map((s, i) => ({ ...s, probability: p.candidates[i]! }))
    .sort((a, b) => b.probability - a.probability);
  return { ranked, confidence: ranked[0]?.probability ?? 0, removed: p.removed };
}
