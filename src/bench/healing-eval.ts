import { FEATURES, featuresOf } from "../domain/healing/features.js";
import { type ChoiceCase, fitModel } from "../domain/healing/fit.js";
import { choiceProbabilities, type HealingModel, utilityOf } from "../domain/healing/model.js";
import type { HealingCase } from "./healing-similo.js";

/** What a locator strategy said about one case: its best candidate, and how sure it was. */
export interface Prediction {
  site: string;
  /** Index of the best candidate (-1 when there were none). */
  top: number;
  confidence: number;
  truth: number | null;
}

export interface Summary {
  targets: number;
  top1: number;
  acted_right: number;
  acted_wrong: number;
  refused_right: number;
  removed: number;
  removed_wrongly_healed: number;
  ece: number;
  /** Over changed and removed targets, weighted as in fitting: the mix the probability is calibrated for. */
  ece_with_removed: number;
  reliability: { bin: string; cases: number; confidence: number; accuracy: number }[];
}

const pct = (n: number, of: number) => (of === 0 ? 0 : Math.round((1000 * n) / of) / 10);

/** Expected calibration error over ten equal-width bins, and the table it is computed from. */
export function calibration(points: { confidence: number; right: boolean; weight?: number }[]) {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, right: 0 }));
  let total = 0;
  for (const p of points) {
    const w = p.weight ?? 1;
    const b = bins[Math.min(9, Math.floor(p.confidence * 10))]!;
    b.n += w;
    b.conf += w * p.confidence;
    b.right += p.right ? w : 0;
    total += w;
  }
  let ece = 0;
  const table = [];
  for (let i = 0; i < 10; i++) {
    const b = bins[i]!;
    if (b.n === 0) continue;
    ece += (b.n / total) * Math.abs(b.conf / b.n - b.right / b.n);
    table.push({
      bin: `${(i / 10).toFixed(1)}-${((i + 1) / 10).toFixed(1)}`,
      cases: Math.round(b.n * 100) / 100,
      confidence: Math.round((1000 * b.conf) / b.n) / 1000,
      accuracy: Math.round((1000 * b.right) / b.n) / 1000,
    });
  }
  return { ece: Math.round(ece * 1000) / 1000, table };
}

/** The figures: over present targets, and over removed ones (acting on anything there is wrong). */
export function summarize(predictions: Prediction[], actAt: number): Summary {
  const present = predictions.filter((p) => p.truth !== null);
  const removed = predictions.filter((p) => p.truth === null);
  const right = (p: Prediction) => p.top === p.truth;
  const acts = (p: Prediction) => p.top >= 0 && p.confidence >= actAt;
  const cal = calibration(present.map((p) => ({ confidence: p.confidence, right: right(p) })));
  return {
    targets: present.length,
    top1: pct(present.filter(right).length, present.length),
    acted_right: pct(present.filter((p) => acts(p) && right(p)).length, present.length),
    acted_wrong: pct(present.filter((p) => acts(p) && !right(p)).length, present.length),
    refused_right: pct(present.filter((p) => !acts(p) && right(p)).length, present.length),
    removed: removed.length,
    removed_wrongly_healed: removed.filter(acts).length,
    ece: cal.ece,
    ece_with_removed: calibration([
      ...present.map((p) => ({ confidence: p.confidence, right: right(p) })),
      ...removed.map((p) => ({ confidence: p.confidence, right: false, weight: REMOVED_WEIGHT })),
    ]).ece,
    reliability: cal.table,
  };
}

/** Feature matrices, computed once per case. */
export function featurize(cases: HealingCase[]): number[][][] {
  return cases.map((c) => {
    const diagonal = 1500;
    return c.candidates.map((fp) => featuresOf(c.identity, fp, diagonal));
  });
}

export function predictWith(model: HealingModel, c: HealingCase, features: number[][]): Prediction {
  const p = choiceProbabilities(
    features.map((f) => utilityOf(model, f)),
    model.removed,
  );
  let top = -1;
  for (let i = 0; i < p.candidates.length; i++) if (top < 0 || p.candidates[i]! > p.candidates[top]!) top = i;
  return { site: c.site, top, confidence: top < 0 ? 0 : p.candidates[top]!, truth: c.truth };
}

/** How much a removed case counts beside a changed one: removals are rarer than changes in a heal. */
export const REMOVED_WEIGHT = 0.25;

/** Training cases: every target as found, and again with its element removed from the page. */
export function choiceCases(cases: HealingCase[], features: number[][][]): ChoiceCase[] {
  const out: ChoiceCase[] = [];
  cases.forEach((c, i) => {
    if (c.truth === null) return;
    const f = features[i]!;
    out.push({ group: c.site, candidates: f, chosen: c.truth, weight: 1 });
    out.push({
      group: c.site,
      candidates: f.filter((_, k) => k !== c.truth),
      chosen: null,
      weight: REMOVED_WEIGHT,
    });
  });
  return out;
}

export const FOLDS = 8;

/** Which fold a site belongs to: sites in name order, dealt round-robin, so folds never share a site. */
export function foldOf(sites: string[]): Map<string, number> {
  return new Map([...new Set(sites)].sort().map((s, i) => [s, i % FOLDS]));
}

/**
 * Cross-validation by site: each fold's sites are predicted by a model fitted on the other folds' sites
 * only. Returns predictions for every case and its removed twin.
 */
export function crossValidate(cases: HealingCase[], features: number[][][]): Prediction[] {
  const folds = foldOf(cases.map((c) => c.site));
  const predictions: Prediction[] = [];
  for (let k = 0; k < FOLDS; k++) {
    const trainIdx = cases.map((_, i) => i).filter((i) => folds.get(cases[i]!.site) !== k);
    const model = fitModel(
      FEATURES,
      choiceCases(
        trainIdx.map((i) => cases[i]!),
        trainIdx.map((i) => features[i]!),
      ),
    );
    cases.forEach((c, i) => {
      if (folds.get(c.site) !== k || c.truth === null) return;
      const f = features[i]!;
      predictions.push(predictWith(model, c, f));
      const without = f.filter((_, j) => j !== c.truth);
      predictions.push(predictWith(model, { ...c, truth: null }, without));
    });
  }
  return predictions;
}
