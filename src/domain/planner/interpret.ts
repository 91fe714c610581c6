import { assertionRules } from "./grammar/assertions.js";
import { browserRules } from "./grammar/browser.js";
import { checkingRules, entryActionRules } from "./grammar/checking.js";
import type { Clause, Reading, Rule, Step } from "./grammar/common.js";
import { formRules } from "./grammar/forms.js";
import { navigationRules } from "./grammar/navigation.js";
import { pointerRules } from "./grammar/pointer.js";
import { typingRules } from "./grammar/typing.js";
import { waitRules } from "./grammar/waits.js";
import type { Target } from "./targets.js";
import { type Masked, mask, unmask } from "./text.js";

/** The rule groups, most specific first: "press Enter" is a key before it could be a button. */
const RULES: Rule[] = [
  ...browserRules,
  ...formRules,
  ...navigationRules,
  ...typingRules,
  ...checkingRules,
  ...entryActionRules,
  ...pointerRules,
  ...waitRules,
  ...assertionRules,
];

export interface Understood {
  /** The part of the sentence these steps come from (the whole sentence, or one part of a compound one). */
  text: string;
  steps: Step[];
}

export type Interpretation =
  | { ok: true; parts: Understood[] }
  | { ok: false; understood: Understood[]; notUnderstood: string; reason?: string };

function readClause(text: string, m: Masked, then: boolean, it?: Target): Reading {
  const c: Clause = { text, m, then, it };
  for (const rule of RULES) {
    const r = rule(c);
    if (r) return r;
  }
  return undefined;
}

const SEPARATOR = /(,\s*(?:and\s+)?then\s+|\s+and\s+then\s+|\s+then\s+|,\s*and\s+|\s+and\s+|;\s*)/i;
const lastTarget = (steps: Step[]): Target | undefined => {
  for (const s of [...steps].reverse()) {
    const t = (s.params.target ?? s.params.destination) as Target | undefined;
    if (t !== undefined) return t;
  }
  return undefined;
};

interface Attempt {
  parts: Understood[];
  failedAt?: string;
  reason?: string;
}

/**
 * Reads one sentence. A compound sentence ("type foo into Search and press Enter") is read as its parts
 * when every part is a step of its own; a part may leave out the verb of the part before ("enter username
 * "a" and password "b"") or point back at its target ("hover over Bread and click its Delete button").
 * A sentence read only in part is refused, with the parts understood and the part not understood.
 */
export function interpret(sentence: string, then = false): Interpretation {
  const m = mask(sentence);
  const text = m.text
    .replace(/[.;!]+\s*$/, "")
    .replace(/\s+/g, " ")
    .replace(/\b(the|a) \1\b/gi, "$1")
    .trim();
  const pieces = text.split(SEPARATOR);
  const parts = pieces.filter((_, i) => i % 2 === 0);
  const seps = pieces.filter((_, i) => i % 2 === 1);
  if (parts.length > 8)
    return { ok: false, understood: [], notUnderstood: sentence, reason: "too many parts in one sentence" };
  let best: Attempt = { parts: [] };

  const join = (from: number, to: number) =>
    parts.slice(from, to).reduce((acc, p, k) => (k === 0 ? p : `${acc}${seps[from + k - 1]}${p}`), "");

  const tryGroup = (group: string, prev?: Understood & { raw: string }): Reading => {
    const it = prev ? lastTarget(prev.steps) : undefined;
    const alone = readClause(group, m, then, it);
    if (alone && !("refuse" in alone)) {
      // A bare verb ("and click") leans on the part before only when that part's target was quoted.
      if (/^\S+$/.test(group) && !(prev && /«/.test(prev.raw))) return undefined;
      return alone;
    }
    if (!prev) return alone;
    // "X is shown and Y is not": the second part borrows the first one's predicate.
    const negated = /^(.+?) (?:is|are) not$/i.exec(group);
    const predicate = /(?:is|are|should be|will be) (\w+)$/i.exec(prev.raw);
    if (negated && predicate) return readClause(`${negated[1]} is not ${predicate[1]}`, m, then, it);
    if (!/«/.test(group)) return alone;
    // The verb left out: "enter username "a" and password "b"" reads the second part as "enter password "b"".
    const words = prev.raw.split(" ");
    const firstQuote = words.findIndex((w) => /«/.test(w));
    for (let k = 1; k < (firstQuote < 0 ? words.length : firstQuote); k++) {
      const r = readClause(`${words.slice(0, k).join(" ")} ${group}`, m, then, it);
      if (r && !("refuse" in r)) return r;
    }
    return alone;
  };

  const search = (from: number, done: (Understood & { raw: string })[]): Attempt | undefined => {
    if (from === parts.length) return { parts: done };
    for (let to = from + 1; to <= parts.length; to++) {
      const group = join(from, to);
      const r = tryGroup(group, done.at(-1));
      if (r && !("refuse" in r)) {
        const found = search(to, [...done, { text: unmask(group, m), steps: r, raw: group }]);
        if (found) return found;
      } else if (done.length >= best.parts.length && (to === parts.length || !best.failedAt)) {
        best = {
          parts: done,
          failedAt: unmask(join(from, parts.length), m),
          reason: r && "refuse" in r ? r.refuse : undefined,
        };
      }
    }
    return undefined;
  };

  const found = search(0, []);
  if (found) return { ok: true, parts: found.parts.map(({ text: t, steps }) => ({ text: t, steps })) };
  return {
    ok: false,
    understood: best.parts.map(({ text: t, steps }) => ({ text: t, steps })),
    notUnderstood: best.failedAt ?? sentence,
    reason: best.reason,
  };
}
