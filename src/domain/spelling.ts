/**
 * Near misses of a word among the words that were meant: a typed command (`rn`) or a plan key (`taget`).
 * Optimal string alignment distance (an edit is an insertion, a deletion, a substitution or a swap of two
 * neighbours), so a swapped pair of letters counts once.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidates closest to `word`, when close enough to be what was meant: at most a third of the longer
 * word's letters differ (at least one edit is always allowed). Ties are all returned, in the given order.
 */
export function closestWords(word: string, candidates: Iterable<string>): string[] {
  let best = Number.POSITIVE_INFINITY;
  let found: string[] = [];
  const lower = word.toLowerCase();
  for (const candidate of new Set(candidates)) {
    const distance = editDistance(lower, candidate.toLowerCase());
    const allowed = Math.max(1, Math.floor(Math.max(word.length, candidate.length) / 3));
    if (distance > allowed || distance > best) continue;
    if (distance < best) found = [];
    best = distance;
    found.push(candidate);
  }
  return found;
}

/** " Did you mean X?" (or "X or Y"), or "" when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const close = closestWords(word, candidates);
  return close.length === 0 ? "" : ` Did you mean ${close.slice(0, 3).join(" or ")}?`;
}
