import type { Target } from "../targets.js";
import type { Masked } from "../text.js";

/** One sentence (or one part of a compound sentence) as the rules read it. */
export interface Clause {
  /** The words, quoted parts set aside as «n», the Gherkin keyword and end punctuation removed. */
  text: string;
  m: Masked;
  /** Under a "Then": "I am on the cart page" is a check there, a step elsewhere. */
  then: boolean;
  /** What "it" refers to: the target of the part before, in a compound sentence. */
  it?: Target;
}

export interface Step {
  action: string;
  params: Record<string, unknown>;
}

/** A rule's answer: the steps, a refusal that says why (the rule knows the form but cannot plan it), or nothing. */
export type Reading = Step[] | { refuse: string } | undefined;
export type Rule = (c: Clause) => Reading;

export const refuse = (reason: string) => ({ refuse: reason });
export const step = (action: string, params: Record<string, unknown>): Step[] => [{ action, params }];

/** A case-insensitive pattern matched against the whole clause. */
export const whole = (pattern: string) => new RegExp(`^${pattern}$`, "i");

/** The subject a tester writes before the verb ("I", "the user", "she"), removed. */
const SUBJECT =
  /^(?:i|we|you|they|he|she|(?:the |a )?(?:user|customer|visitor|shopper|admin|administrator|tester))\s+/i;
const VERBS = new Set(
  "click tap press hit push follow select choose pick type enter input write put insert fill set clear leave check uncheck tick untick mark complete hover mouse move drag drop upload attach scroll wait pause navigate go browse visit open load access launch reload refresh accept dismiss cancel switch close submit log login sign double right expand collapse toggle".split(
    " ",
  ),
);

/**
 * The clause as an imperative: "the user clicks on X" and "Clicks X" read as "click on X". Other clauses
 * (checks such as "I should see X") are left as they are.
 */
/** "I have entered X": a Given in the perfect tense, done as the action. */
const PARTICIPLES: Record<string, string> = {
  entered: "enter",
  typed: "type",
  clicked: "click",
  pressed: "press",
  selected: "select",
  chosen: "choose",
  checked: "check",
  unchecked: "uncheck",
  filled: "fill",
  visited: "visit",
  opened: "open",
  navigated: "navigate",
  submitted: "submit",
  uploaded: "upload",
  hovered: "hover",
};

export function imperative(text: string): string {
  const perfect = /^(?:(?:i|we|you|they|he|she|(?:the )?user) )?(?:have|has) (\w+) (.*)$/is.exec(text);
  if (perfect && PARTICIPLES[perfect[1]!.toLowerCase()])
    return `${PARTICIPLES[perfect[1]!.toLowerCase()]} ${perfect[2]}`;
  const rest = text.replace(SUBJECT, "");
  const first = /^(\S+)(.*)$/s.exec(rest);
  if (!first) return text;
  const word = first[1]!.toLowerCase();
  if (VERBS.has(word)) return rest;
  for (const stem of [word.replace(/es$/, ""), word.replace(/s$/, "")]) {
    if (stem !== word && VERBS.has(stem)) return `${stem}${first[2]}`;
  }
  return rest === text ? text : rest;
}

const PASSWORDISH =
  /password|passphrase|passcode|passwd|\bpass\b|\bpwd\b|\bpin\b|secret|token|api.?key|\bcvv\b|\bcvc\b/i;

/** A field whose name says it holds a secret (a password, a PIN, a token). */
export const secretField = (name: string) => PASSWORDISH.test(name);
