import { describe, expect, it } from "vitest";
import { pairName } from "../../src/bench/healing-apps-corpus.js";
import { APP_PAIRS, loadCapturedPair } from "../../src/bench/healing-apps-data.js";
import { benchHealingApps } from "../../src/bench/healing-apps-score.js";

/**
 * The real-upgrade corpus (old and new major releases of real apps, captured in Chromium and committed):
 * what the issue asks of it, and what the engine's heal does on it, read from the committed captures.
 */
describe("the real-upgrade healing corpus", () => {
  it("gives every pair 15 or more present targets and some removed ones, on two releases of one package", () => {
    for (const pair of APP_PAIRS) {
      const removed = pair.targets.filter((t) => t.now === null);
      expect(pair.targets.length - removed.length, pairName(pair)).toBeGreaterThanOrEqual(15);
      expect(removed.length, pairName(pair)).toBeGreaterThan(0);
      expect(pair.from).not.toBe(pair.to);
      for (const t of pair.targets) expect(Object.keys(pair.views), t.description).toContain(t.view);
    }
  });

  it("holds one development pair; the others are held out", () => {
    expect(APP_PAIRS.filter((p) => p.use === "development")).toHaveLength(1);
    expect(APP_PAIRS.filter((p) => p.use === "held-out").length).toBeGreaterThanOrEqual(1);
  });

  it("has a committed capture that matches each pair's definition, target by target", () => {
    for (const pair of APP_PAIRS) {
      const captured = loadCapturedPair(pair);
      expect(captured.targets.map((t) => [t.description, t.view, t.truth === null])).toEqual(
        pair.targets.map((t) => [t.description, t.view, t.now === null]),
      );
      for (const t of captured.targets) {
        const nodes = captured.views[t.view]!;
        if (t.truth !== null) expect(t.truth).toBeLessThan(nodes.length);
        // The recorded fingerprint is the engine's, taken on the old release.
        expect(t.recorded.tag, t.description).toBeTruthy();
      }
    }
  });

  it("has the engine's heal act on no wrong element and refuse every removed one", () => {
    const engine = benchHealingApps().filter((l) => String(l.strategy).startsWith("engine heal"));
    expect(engine).toHaveLength(APP_PAIRS.length);
    for (const line of engine) {
      expect(line.acted_wrong, String(line.corpus)).toBe(0);
      expect(line.removed_wrongly_healed, String(line.corpus)).toBe(0);
    }
  });
});
