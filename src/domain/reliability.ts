/**
 * Reliability (spec §4.3 reliability_scores). Over an entity's finished runs (a test, a page, an adapter),
 * oldest first:
 *
 *   pass_rate     = passed / finished
 *   flakiness     = flips / comparisons, within groups of the same plan version on the same application
 *                   version: a flip is an outcome that differs from the previous one in its group, and a
 *                   group of n runs offers n - 1 comparisons. Changing the test or the app is not flaking.
 *   stability     = 1 - flakiness (1 when no group has two runs)
 *   recovery_rate = heals that held / heals attempted (1 when nothing needed healing)
 *   score         = 0.5 * pass_rate + 0.3 * stability + 0.2 * recovery_rate
 */
export interface Outcome {
  passed: boolean;
  planVersion: string;
  applicationVersion: string;
  healsAttempted: number;
  healsSuccessful: number;
}

export interface Reliability {
  runs: number;
  score: number;
  pass_rate: number;
  stability: number;
  flakiness: number;
  recovery_rate: number;
  flips: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function reliability(history: Outcome[]): Reliability {
  if (history.length === 0)
    return { runs: 0, score: 0, pass_rate: 0, stability: 1, flakiness: 0, recovery_rate: 1, flips: 0 };
  const passed = history.filter((o) => o.passed).length;
  const last = new Map<string, boolean>();
  let flips = 0;
  let comparisons = 0;
  for (const o of history) {
    const group = `${o.planVersion}\u0000${o.applicationVersion}`;
    const previous = last.get(group);
    if (previous !== undefined) {
      comparisons++;
      if (previous !== o.passed) flips++;
    }
    last.set(group, o.passed);
  }
  const attempted = history.reduce((n, o) => n + o.healsAttempted, 0);
  const held = history.reduce((n, o) => n + o.healsSuccessful, 0);
  const pass_rate = passed / history.length;
  const flakiness = comparisons === 0 ? 0 : flips / comparisons;
  const stability = 1 - flakiness;
  const recovery_rate = attempted === 0 ? 1 : held / attempted;
  return {
    runs: history.length,
    score: round(0.5 * pass_rate + 0.3 * stability + 0.2 * recovery_rate),
    pass_rate: round(pass_rate),
    stability: round(stability),
    flakiness: round(flakiness),
    recovery_rate: round(recovery_rate),
    flips,
  };
}
