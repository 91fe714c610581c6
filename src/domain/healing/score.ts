import type { Fingerprint } from "./fingerprint.js";

/** Bigram (Dice) similarity: forgiving of renamed labels such as "Email" and "Email address". */
export function textSimilarity(a: string, b: string): number {
  const x = a.toLowerCase().trim();
  const y = b.toLowerCase().trim();
  if (x === y) return 1;
  if (!x || !y) return 0;
  if (x.length < 2 || y.length < 2) return 0;
  const grams = (s: string) => {
    const m = new Map<string, number>();
    for (let i = 0; i < s.length - 1; i++) m.set(s.slice(i, i + 2), (m.get(s.slice(i, i + 2)) ?? 0) + 1);
    return m;
  };
  const gx = grams(x);
  const gy = grams(y);
  let overlap = 0;
  for (const [g, n] of gx) overlap += Math.min(n, gy.get(g) ?? 0);
  const dice = (2 * overlap) / (x.length - 1 + (y.length - 1));
  // One containing the other ("Sign in" in "Sign in now") is strong evidence on its own.
  const contains = x.includes(y) || y.includes(x) ? 0.8 : 0;
  return Math.max(dice, contains);
}

/** Longest common subsequence of two tag paths, over the longer one's length (as Healenium scores paths). */
export function pathSimilarity(a: string, b: string): number {
  const x = a.split(">");
  const y = b.split(">");
  const dp: number[] = new Array(y.length + 1).fill(0);
  for (let i = 1; i <= x.length; i++) {
    let prev = 0;
    for (let j = 1; j <= y.length; j++) {
      const tmp = dp[j]!;
      dp[j] = x[i - 1] === y[j - 1] ? prev + 1 : Math.max(dp[j]!, dp[j - 1]!);
      prev = tmp;
    }
  }
  return dp[y.length]! / Math.max(x.length, y.length);
}

function setSimilarity(a: string[], b: string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  const sb = new Set(b);
  const inter = a.filter((v) => sb.has(v)).length;
  return inter / new Set([...a, ...b]).size;
}

export interface ScoreBreakdown {
  score: number;
  parts: Record<string, number>;
}

// Weights of the evidence; a feature absent from the recorded element is left out and the rest rescaled.
// What a user sees (accessible name, text, role) weighs most; ids and classes least, being what refactors
// rename.
export const WEIGHTS = {
  tag: 0.1,
  role: 0.1,
  name: 0.25,
  text: 0.1,
  id: 0.1,
  attributes: 0.15,
  classes: 0.04,
  path: 0.08,
  neighbours: 0.04,
  position: 0.04,
} as const;

/** How much a candidate on the current page looks like the element recorded earlier, from 0 to 1. */
export function scoreCandidate(
  recorded: Fingerprint,
  candidate: Fingerprint,
  viewportDiagonal = 1500,
): ScoreBreakdown {
  const parts: Record<string, number> = {};
  parts.tag = recorded.tag === candidate.tag ? 1 : 0;
  parts.role = recorded.role === candidate.role ? 1 : 0;
  if (recorded.name) parts.name = textSimilarity(recorded.name, candidate.name);
  if (recorded.text) parts.text = textSimilarity(recorded.text, candidate.text);
  if (recorded.id) parts.id = candidate.id ? textSimilarity(recorded.id, candidate.id) : 0;
  const keys = Object.keys(recorded.attributes);
  if (keys.length > 0) {
    parts.attributes =
      keys.reduce(
        (sum, k) => sum + textSimilarity(recorded.attributes[k]!, candidate.attributes[k] ?? ""),
        0,
      ) / keys.length;
  }
  if (recorded.classes.length > 0) parts.classes = setSimilarity(recorded.classes, candidate.classes);
  parts.path = pathSimilarity(recorded.domPath, candidate.domPath);
  if (recorded.neighbours.length > 0) {
    parts.neighbours =
      recorded.neighbours.reduce(
        (sum, n) => sum + Math.max(0, ...candidate.neighbours.map((c) => textSimilarity(n, c))),
        0,
      ) / recorded.neighbours.length;
  }
  const dx = recorded.box.x + recorded.box.width / 2 - (candidate.box.x + candidate.box.width / 2);
  const dy = recorded.box.y + recorded.box.height / 2 - (candidate.box.y + candidate.box.height / 2);
  parts.position = Math.max(0, 1 - Math.hypot(dx, dy) / viewportDiagonal);
  let total = 0;
  let weight = 0;
  for (const [k, v] of Object.entries(parts)) {
    const w = WEIGHTS[k as keyof typeof WEIGHTS];
    total += w * v;
    weight += w;
  }
  return { score: weight === 0 ? 0 : total / weight, parts };
}

export interface HealingThresholds {
  autoCommit: number;
  propose: number;
  manualReview: number;
}

/** Spec Part 3 defaults. */
export const DEFAULT_THRESHOLDS: HealingThresholds = { autoCommit: 0.9, propose: 0.8, manualReview: 0.7 };

export type HealingDecision = "auto_commit" | "propose" | "manual_review" | "reject";

/**
 * What to do with a heal of this confidence. auto_commit and propose act on the healed element in this run
 * (only auto_commit, or an approved proposal, updates the learned locator); manual_review does not act, the
 * step fails and the candidate waits for a person; reject fails the step.
 */
export function healingDecision(
  confidence: number,
  t: HealingThresholds = DEFAULT_THRESHOLDS,
): HealingDecision {
  if (confidence >= t.autoCommit) return "auto_commit";
  if (confidence >= t.propose) return "propose";
  if (confidence >= t.manualReview) return "manual_review";
  return "reject";
}

export const actsOnHeal = (decision: HealingDecision) => decision === "auto_commit" || decision === "propose";

export interface RankedCandidate<T> {
  candidate: T;
  score: number;
  parts: Record<string, number>;
}

/**
 * Ranks candidates; when the best two are nearly tied the confidence drops by the gap's shortfall, because
 * acting on the wrong one of two look-alikes is worse than asking.
 */
export function rankCandidates<T>(
  recorded: Fingerprint,
  candidates: { candidate: T; fingerprint: Fingerprint }[],
  viewportDiagonal?: number,
): { ranked: RankedCandidate<T>[]; confidence: number } {
  const ranked = candidates
    .map(({ candidate, fingerprint }) => ({
      candidate,
      ...scoreCandidate(recorded, fingerprint, viewportDiagonal),
    }))
    .sort((a, b) => b.score - a.score);
  const best = ranked[0];
  if (!best) return { ranked, confidence: 0 };
  const second = ranked[1]?.score ?? 0;
  const margin = best.score - second;
  const ambiguity = margin < 0.05 ? 0.05 - margin : 0;
  return { ranked, confidence: Math.max(0, best.score - ambiguity * 2) };
}
