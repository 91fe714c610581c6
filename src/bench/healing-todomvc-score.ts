import type { ChromiumOptions } from "../adapters/browser/chromium.js";
import { rankWithModel } from "../domain/healing/model.js";
import { rankCandidates } from "../domain/healing/score.js";
import { chooseHeal } from "../engine/locate-heal.js";
import { type Prediction, summarize } from "./healing-eval.js";
import { type CapturedTarget, captureTodoMvc } from "./healing-todomvc.js";

const ACT_AT = 0.8;

/** What a strategy needs of a captured target: the step, what was recorded, and the page it heals on. */
export type Scorable = Pick<
  CapturedTarget,
  "recorded" | "nodes" | "candidates" | "truth" | "viewportDiagonal"
> & {
  target: { description: string; role?: string };
};

type Strategy = (t: Scorable, site: string) => Prediction & { veto?: string };

const candidatesOf = (t: Scorable) => t.candidates.map((fingerprint, i) => ({ candidate: i, fingerprint }));

/** The hand-weighted fingerprint scorer, as in the Similo bench. */
const baseline: Strategy = (t, site) => {
  const { ranked, confidence } = rankCandidates(t.recorded, candidatesOf(t), t.viewportDiagonal);
  return { site, top: ranked[0]?.candidate ?? -1, confidence, truth: t.truth };
};

/** The learned model over all of B's elements, fingerprint and description, as in the Similo bench. */
const model: Strategy = (t, site) => {
  const { ranked, confidence } = rankWithModel(
    { fingerprint: t.recorded, description: t.target.description },
    candidatesOf(t),
    t.viewportDiagonal,
  );
  return { site, top: ranked[0]?.candidate ?? -1, confidence, truth: t.truth };
};

/** What the engine does when a step's locator breaks (chooseHeal): the model, role and row filters, row veto. */
const engine: Strategy = (t, site) => {
  const choice = chooseHeal(
    t.nodes,
    { description: t.target.description, ...(t.target.role ? { role: t.target.role } : {}) },
    t.recorded,
    () => false,
    t.viewportDiagonal,
  );
  if (!choice) return { site, top: -1, confidence: 0, truth: t.truth };
  return {
    site,
    top: t.nodes.indexOf(choice.node),
    // A vetoed heal is never acted on, whatever its probability.
    confidence: choice.veto ? 0 : choice.confidence,
    truth: t.truth,
    ...(choice.veto ? { veto: choice.veto } : {}),
  };
};

export const STRATEGIES: [string, Strategy][] = [
  ["fingerprint-score (baseline)", baseline],
  ["learned model", model],
  ["engine heal (model, role filter, same-row filter and veto)", engine],
];

/** What went wrong with each target a strategy did not heal right, for the report. */
export function misses(targets: Scorable[], predictions: (Prediction & { veto?: string })[]) {
  return predictions.flatMap((p, i) => {
    const t = targets[i]!;
    const acted = p.top >= 0 && p.confidence >= ACT_AT;
    if (p.truth !== null && acted && p.top === p.truth) return [];
    if (p.truth === null && !acted) return [];
    const chose = p.top >= 0 ? t.nodes[p.top] : undefined;
    const what =
      p.truth === null
        ? "removed, healed"
        : acted
          ? "WRONG"
          : p.top === p.truth
            ? "refused right"
            : "refused, wrong top";
    return [
      `${what}: "${t.target.description}" -> ${chose ? `${chose.role} "${chose.name.slice(0, 40)}"` : "nothing"} @${p.confidence.toFixed(3)}${p.veto ? " (vetoed)" : ""}`,
    ];
  });
}

/**
 * The real-app corpus: TodoMVC pairs captured in Chromium, scored by the old scorer, the learned model and
 * the engine's heal. One line per pair and strategy, and one per strategy over all pairs.
 */
export async function benchHealingTodoMvc(chromium: ChromiumOptions): Promise<Record<string, unknown>[]> {
  let captured: Awaited<ReturnType<typeof captureTodoMvc>>;
  try {
    captured = await captureTodoMvc(chromium);
  } catch (error) {
    return [{ bench: "healing", corpus: "todomvc", error: (error as Error).message }];
  }
  const lines: Record<string, unknown>[] = [];
  for (const [strategy, predict] of STRATEGIES) {
    const all: Prediction[] = [];
    for (const { pair, targets } of captured) {
      const site = `${pair.from}->${pair.to}`;
      const predictions = targets.map((t) => predict(t, site));
      all.push(...predictions);
      const s = summarize(predictions, ACT_AT);
      const { reliability: _, ...figures } = s;
      lines.push({
        bench: "healing",
        corpus: `todomvc ${site}`,
        strategy,
        ...figures,
        misses: misses(targets, predictions),
      });
    }
    const s = summarize(all, ACT_AT);
    lines.push({
      bench: "healing",
      corpus: "todomvc (all pairs)",
      strategy,
      pairs: captured.length,
      ...s,
      goals: { healed_right: 90, acted_wrong_max: 0, removed_wrongly_healed_max: 0 },
    });
  }
  return lines;
}
