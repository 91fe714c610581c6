import { choiceProbabilities, type HealingModel } from "./model.js";

/**
 * One training case: the evidence for each candidate, and which one was the element (`null`: it had been
 * removed). `weight` lets removed cases stand for how often removal happens relative to change.
 */
export interface ChoiceCase {
  group: string;
  candidates: number[][];
  chosen: number | null;
  weight: number;
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and symmetric positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

/** Penalised log-likelihood of the cases under parameters theta (last one: the utility of "removed"). */
function objective(cases: ChoiceCase[], theta: number[], l2: number): number {
  const d = theta.length;
  let ll = -0.5 * l2 * theta.reduce((s, t) => s + t * t, 0);
  for (const c of cases) {
    const u = c.candidates.map((f) => f.reduce((s, v, i) => s + v * theta[i]!, 0));
    const p = choiceProbabilities(u, theta[d - 1]!);
    const chosen = c.chosen === null ? p.removed : p.candidates[c.chosen]!;
    ll += c.weight * Math.log(Math.max(chosen, 1e-300));
  }
  return ll;
}

/**
 * Maximum-likelihood conditional logit with an L2 penalty, by Newton's method: deterministic (no random
 * start, no sampling), so the same cases always give the same weights.
 */
export function fitModel(
  features: readonly string[],
  cases: ChoiceCase[],
  options: { l2?: number; iterations?: number } = {},
): HealingModel {
  const l2 = options.l2 ?? 1;
  const d = features.length + 1; // the last parameter is the utility of "removed"
  const theta = new Array<number>(d).fill(0);
  for (let iter = 0; iter < (options.iterations ?? 30); iter++) {
    const grad = theta.map((t) => -l2 * t);
    const hess = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? l2 : 0)));
    for (const c of cases) {
      const xs = c.candidates.map((f) => [...f, 0]);
      const xr = [...new Array<number>(d - 1).fill(0), 1];
      const u = xs.map((x) => x.reduce((s, v, i) => s + v * theta[i]!, 0));
      const p = choiceProbabilities(u, theta[d - 1]!);
      const all = [...xs, xr];
      const probs = [...p.candidates, p.removed];
      const mean = new Array<number>(d).fill(0);
      for (let k = 0; k < all.length; k++) for (let i = 0; i < d; i++) mean[i]! += probs[k]! * all[k]![i]!;
      const chosen = c.chosen === null ? xr : xs[c.chosen]!;
      for (let i = 0; i < d; i++) grad[i]! += c.weight * (chosen[i]! - mean[i]!);
      for (let k = 0; k < all.length; k++) {
        const pk = probs[k]! * c.weight;
        if (pk < 1e-12) continue;
        const x = all[k]!;
        for (let i = 0; i < d; i++) {
          const di = x[i]! - mean[i]!;
          if (di === 0) continue;
          for (let j = 0; j < d; j++) hess[i]![j]! += pk * di * (x[j]! - mean[j]!);
        }
      }
    }
    const step = solve(hess, grad);
    // Newton overshoots on nearly separable evidence; halve the step until the penalised likelihood rises.
    const before = objective(cases, theta, l2);
    let scale = 1;
    let next = theta.map((t, i) => t + step[i]!);
    while (objective(cases, next, l2) < before && scale > 1e-4) {
      scale /= 2;
      next = theta.map((t, i) => t + scale * step[i]!);
    }
    const size = Math.max(...next.map((t, i) => Math.abs(t - theta[i]!)));
    for (let i = 0; i < d; i++) theta[i] = next[i]!;
    if (size < 1e-7) break;
  }
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    features: [...features],
    weights: theta.slice(0, d - 1).map(round),
    removed: round(theta[d - 1]!),
  };
}
