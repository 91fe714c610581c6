import { fingerprintsOf } from "../engine/locate-nodes.js";
import { pairName } from "./healing-apps-corpus.js";
import { APP_PAIRS, expandNode, loadCapturedPair } from "./healing-apps-data.js";
import { type Prediction, summarize } from "./healing-eval.js";
import { misses, type Scorable, STRATEGIES } from "./healing-todomvc-score.js";

const ACT_AT = 0.8;

/** A captured pair's targets as the strategies take them: the new release's view, its fingerprints. */
function scorables(pair: (typeof APP_PAIRS)[number]): Scorable[] {
  const captured = loadCapturedPair(pair);
  const views = new Map(
    Object.entries(captured.views).map(([name, stored]) => {
      const nodes = stored.map(expandNode);
      return [name, { nodes, candidates: fingerprintsOf(nodes) }] as const;
    }),
  );
  const diagonal = Math.hypot(captured.viewport.width, captured.viewport.height);
  return captured.targets.map((t) => {
    const view = views.get(t.view);
    if (!view) throw new Error(`target "${t.description}" names view "${t.view}", which the capture lacks`);
    return {
      target: { description: t.description, ...(t.role ? { role: t.role } : {}) },
      recorded: t.recorded,
      nodes: view.nodes,
      candidates: view.candidates,
      truth: t.truth,
      viewportDiagonal: diagonal,
    };
  });
}

/**
 * The real-upgrade corpus (old and new major releases of real apps, captured in Chromium and committed):
 * one line per pair and strategy, with what each strategy got wrong or refused.
 */
export function benchHealingApps(): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const pair of APP_PAIRS) {
    let targets: Scorable[];
    try {
      targets = scorables(pair);
    } catch (error) {
      lines.push({ bench: "healing", corpus: pairName(pair), error: (error as Error).message });
      continue;
    }
    for (const [strategy, predict] of STRATEGIES) {
      const predictions: (Prediction & { veto?: string })[] = targets.map((t) => predict(t, pairName(pair)));
      lines.push({
        bench: "healing",
        corpus: pairName(pair),
        use: pair.use,
        strategy,
        ...summarize(predictions, ACT_AT),
        goals: { healed_right: 90, acted_wrong_max: 0, removed_wrongly_healed_max: 0 },
        misses: misses(targets, predictions),
      });
    }
  }
  return lines;
}
