import { rankCandidates } from "../domain/healing/score.js";
import { crossValidate, featurize, type Prediction, summarize } from "./healing-eval.js";
import { type HealingCase, loadSimilo, similoPath, withoutTruth } from "./healing-similo.js";

/** Similo's own result on this data (FinalResultsTable of michelnass/Similo2: 710 of 801). */
export const SIMILO_PUBLISHED_TOP1 = 88.6;

/** The act threshold: the engine acts on a heal from the "propose" band up. */
export const ACT_AT = 0.8;

/** The hand-weighted fingerprint scorer the engine used before the model, as the baseline. */
function baseline(c: HealingCase): Prediction {
  const { ranked, confidence } = rankCandidates(
    c.identity.fingerprint!,
    c.candidates.map((fingerprint, i) => ({ candidate: i, fingerprint })),
  );
  return { site: c.site, top: ranked[0]?.candidate ?? -1, confidence, truth: c.truth };
}

export function benchHealing(options: { similo?: string } = {}): Record<string, unknown>[] {
  const path = similoPath(options.similo);
  let cases: HealingCase[];
  try {
    cases = loadSimilo(path);
  } catch (error) {
    return [{ bench: "healing", corpus: "similo", error: (error as Error).message }];
  }
  const lines: Record<string, unknown>[] = [];
  const base = cases.flatMap((c) => [baseline(c), baseline(withoutTruth(c))]);
  lines.push({
    bench: "healing",
    corpus: "similo",
    strategy: "fingerprint-score (baseline)",
    ...summarize(base, ACT_AT),
    similo_published_top1: SIMILO_PUBLISHED_TOP1,
  });
  const features = featurize(cases);
  const cv = crossValidate(cases, features);
  lines.push({
    bench: "healing",
    corpus: "similo",
    strategy: "learned model, cross-validated by site",
    sites: new Set(cases.map((c) => c.site)).size,
    ...summarize(cv, ACT_AT),
    similo_published_top1: SIMILO_PUBLISHED_TOP1,
    goals: { top1: 97, acted_right: 92, acted_wrong_max: 0.5, ece_max: 0.05 },
  });
  return lines;
}
