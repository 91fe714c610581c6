import type { TargetSpec } from "../plan/model.js";
import { looksLikeCss, type Masked, ORDINAL_WORD, ordinal, PLACEHOLDER, quoted, unmask } from "./text.js";

/** A target as a plan holds it: a plain description, or a spec when there is more than a description. */
export type Target = string | TargetSpec;

export interface ReadTarget {
  target: Target;
  /** The phrase names a form field ("the Email field", "the search box"): a check on it reads its value. */
  field: boolean;
}

const ROLE_NOUN =
  /^(?:(.*?)\s+)?(radio buttons?|radios?|check ?box(?:es)?|check_box|buttons?|links?|headings?|rows?|lists?)$/i;
const ROLE_OF: [RegExp, string][] = [
  [/^radio/i, "radio"],
  [/^check/i, "checkbox"],
  [/^button/i, "button"],
  [/^link/i, "link"],
  [/^heading/i, "heading"],
  [/^row/i, "row"],
  [/^list/i, "list"],
];
const FIELD_NOUN =
  /\b(?:input ?field|inputfield|text ?field|field|input|text ?box|textbox|text ?area|textarea|box|dropdown|drop-down|select box|combo ?box|search bar)$/i;
const QUALIFIER = [
  /\s+(?:on|in) (?:the )?(?:[\w-]+ )?(?:page|screen|form)$/i,
  /\s+in the (?:top |main |side |navigation )?(?:menu|navbar|navigation bar|nav bar|header|footer|sidebar|toolbar)$/i,
];
const GENERIC_ITEM = "(?:products?|items?|rows?|entr(?:y|ies)|results?|cards?|todos?|tasks?)";
const WITHIN =
  /^(.+?)\s+(?:next to|beside|alongside|for|of|within|in (?:the )?(?:row|line|item|entry|card|todo|task) (?:with|containing|for|of|named|called))\s+(.+)$/i;
const NAMED =
  /^(.*?)\s*\b(?:named|called|labell?ed|titled|with (?:the )?(?:text|label)(?: that contains)?|that contains|containing)\s+(.+)$/i;
/** Words that say a phrase is a clause or a state, not the name of an element. */
const NOT_A_NAME =
  /\b(?:and|then|should|is|are|was|were|be|been|has|have|will|would|can|could|must|that|which|when|if)\s|^(?:to|on|in|into|with|from|by|at)\b/i;

/** "submit the registration form" is an instruction that leaked into a name, not a name. */
const VERB_FIRST =
  /^(?:submit|click|press|enter|type|select|choose|go|open|fill|check|tick|navigate|visit|wait|scroll|hover|drag|upload|clear|close|log|sign)\s+(?:the|a|an)\b/i;
const role = (noun: string) => ROLE_OF.find(([re]) => re.test(noun))?.[1];
const simplify = (t: TargetSpec): Target =>
  Object.keys(t).length === 1 && t.description !== undefined ? t.description : t;
const stripArticle = (s: string) => s.replace(/^(?:the|a|an)\s+(?:the\s+)?/i, "").trim();

/** The name part of a phrase: one quoted part exactly, or the words with the article removed. */
export function nameOf(phrase: string, m: Masked): string | undefined {
  const p = stripArticle(phrase.trim());
  const q = quoted(p, m);
  if (q !== undefined) return q.trim() || undefined;
  if (!p || PLACEHOLDER.test(p) || NOT_A_NAME.test(`${p} `)) return undefined;
  return p;
}

/**
 * Reads what a phrase points at: "the Sign in button", "the "Email" field", "#user", "the second Delete
 * button", "the Delete button next to Bread", "the checkbox of Feed the cat", "the menu item called Menu".
 * Undefined when the phrase is not a target one can tell (two quoted names, a clause, nothing left).
 */
export function readTarget(phrase: string, m: Masked, it?: Target): ReadTarget | undefined {
  let p = phrase.trim();
  for (const q of QUALIFIER) p = p.replace(q, "");
  // After a quoted name, "on calculator" or "in the dialog" says where, not what.
  p = p.replace(/^((?:the )?«\d+»(?: [\w-]+)?) (?:on|in|inside|within) (?:the )?[\w-]+$/i, "$1");
  p = stripArticle(p).replace(/^element\s+(?=[#.[])/i, "");
  if (/^(?:it|them|this|that one)$/i.test(p))
    return it === undefined ? undefined : { target: it, field: false };
  const field = FIELD_NOUN.test(unmask(p, m).replace(/\s+(?:on|in) .*$/, ""));
  const spec: TargetSpec = {};
  const nth = new RegExp(`^(${ORDINAL_WORD})\\s+(.+)$`, "i").exec(p);
  // "the second Delete button", "the first todo"; but "first name" is a name, not a position.
  if (nth && (ROLE_NOUN.test(nth[2]!) || new RegExp(`^${GENERIC_ITEM}$`, "i").test(nth[2]!))) {
    spec.nth = ordinal(nth[1]!);
    p = nth[2]!;
    if (new RegExp(`^${GENERIC_ITEM}$`, "i").test(p)) {
      spec.role = "listitem";
      return { target: orderKeys(spec), field: false };
    }
  }
  const ofNth = new RegExp(`^(.+?)\\s+(?:of|for|in) the (${ORDINAL_WORD})\\s+${GENERIC_ITEM}$`, "i").exec(p);
  if (ofNth && !spec.nth) {
    spec.nth = ordinal(ofNth[2]!);
    p = ofNth[1]!;
  }
  const its = /^its\s+(.+)$/i.exec(p);
  if (its) {
    const owner = typeof it === "string" ? it : it?.description;
    if (!owner) return undefined;
    spec.within = owner;
    p = its[1]!;
  }
  const inRow = /^(.+?)\s+in (?:the )?(.+?) (?:row|line|item|entry)$/i.exec(p);
  const within = inRow ?? WITHIN.exec(p);
  if (within && ROLE_NOUN.test(within[1]!.trim())) {
    const owner = nameOf(within[2]!, m);
    if (!owner) return undefined;
    spec.within = owner;
    p = within[1]!.trim();
  }
  const rowWith = /^(row|line|item|entry|card|list item)s? (?:with|containing|for) (.+)$/i.exec(p);
  if (rowWith) {
    const name = nameOf(rowWith[2]!, m);
    if (!name) return undefined;
    spec.role = /^(?:row|line)$/i.test(rowWith[1]!) ? "row" : "listitem";
    spec.description = name;
    return { target: orderKeys(spec), field: false };
  }
  const named = NAMED.exec(p);
  let nouns = p;
  let name: string | undefined;
  if (named) {
    nouns = named[1]!;
    name = nameOf(named[2]!, m);
    if (name === undefined) return undefined;
  } else {
    const quotes = [...p.matchAll(/«(\d+)»/g)];
    if (quotes.length > 1) return undefined;
    if (quotes.length === 1) {
      name = m.quotes[Number(quotes[0]![1])]!.trim();
      nouns = p.replace(quotes[0]![0], " ").replace(/\s+/g, " ").trim();
      if (nouns.split(" ").length > 4 || NOT_A_NAME.test(`${nouns} `)) return undefined;
      if (!name) return undefined;
    }
  }
  if (name === undefined) {
    // Unquoted: the words are the name; a role noun at the end is the role.
    const roleNoun = ROLE_NOUN.exec(p);
    // A list or a row takes its role only alone ("the list"): "product list" describes, it does not name.
    if (roleNoun && !looksLikeCss(p) && !(/^(?:lists?|rows?)$/i.test(roleNoun[2]!) && roleNoun[1])) {
      spec.role = role(roleNoun[2]!);
      const rest = roleNoun[1]?.trim();
      if (rest) {
        if (NOT_A_NAME.test(`${rest} `)) return undefined;
        spec.description = rest;
      }
    } else {
      // "From textbox", "To field": a preposition may start a field's name, not anything else's.
      const fieldNamedByPreposition = field && p.split(/\s+/).length <= 3 && !/\b(?:and|then)\b/i.test(p);
      if (!p || PLACEHOLDER.test(p) || (NOT_A_NAME.test(`${p} `) && !fieldNamedByPreposition))
        return undefined;
      if (VERB_FIRST.test(p)) return undefined;
      if (looksLikeCss(p)) spec.css = p;
      else spec.description = p;
    }
  } else if (looksLikeCss(name)) {
    spec.css = name;
  } else {
    const roleNoun = nouns ? ROLE_NOUN.exec(nouns) : undefined;
    if (roleNoun) spec.role = role(roleNoun[2]!);
    spec.description = name;
  }
  if (!spec.description && !spec.css && !spec.role) return undefined;
  return { target: simplify(orderKeys(spec)), field };
}

// A stable key order, so that plans (and their versions) do not depend on the order rules set them in.
function orderKeys(t: TargetSpec): TargetSpec {
  const out: TargetSpec = {};
  for (const k of ["role", "description", "css", "xpath", "within", "nth", "ref", "frame"] as const)
    if (t[k] !== undefined) (out as Record<string, unknown>)[k] = t[k];
  return out;
}

/** The words of a target, for messages and for telling a password field by its name. */
export function targetText(t: Target): string {
  return typeof t === "string" ? t : [t.description, t.css, t.within].filter(Boolean).join(" ");
}
