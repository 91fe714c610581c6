import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { FEATURES } from "../domain/healing/features.js";
import { fitModel } from "../domain/healing/fit.js";
import { choiceCases, featurize } from "./healing-eval.js";
import { loadSimilo, similoPath } from "./healing-similo.js";

/**
 * Fits the healing model on every Similo site and writes src/domain/healing/weights.ts. Deterministic:
 * Newton's method from zero on the same data gives the same weights, so the committed file can be checked
 * by running this again (`npx tsx src/bench/fit-healing.ts [similo.json]` from the repository root).
 */
export function fitHealingWeights(similo?: string): string {
  const cases = loadSimilo(similoPath(similo));
  const model = fitModel(FEATURES, choiceCases(cases, featurize(cases)));
  const rows = model.features.map((f, i) => `  ${f}: ${model.weights[i]},`).join("\n");
  return `import { FEATURES, type HealingModel } from "./features.js";

// Written by src/bench/fit-healing.ts from the Similo data set (${cases.length} targets, ${
    new Set(cases.map((c) => c.site)).size
  } sites); do not edit by hand.
const WEIGHTS: Record<string, number> = {
${rows}
};

export const HEALING_MODEL: HealingModel = {
  features: FEATURES,
  weights: FEATURES.map((f) => WEIGHTS[f] ?? 0),
  removed: ${model.removed},
};
`;
}

if (process.argv[1] && /fit-healing\.[jt]s$/.test(process.argv[1])) {
  const out = resolve("src/domain/healing/weights.ts");
  writeFileSync(out, fitHealingWeights(process.argv[2]));
  process.stdout.write(`wrote ${out}\n`);
}
