import { readTarget } from "../targets.js";
import { type Masked, quoted } from "../text.js";
import { statement } from "./clauses.js";
import { type Clause, type Reading, type Rule, refuse, step, whole } from "./common.js";
import { COUNT_PHRASE, countCheck } from "./counts.js";

const VERIFY =
  "(?:(?:i|we|the user|user) )?(?:verify|verifies|check|checks|ensure|ensures|confirm|confirms|make sure|makes sure|assert|asserts|validate|validates|expect|expects|see to it)";
const WHO = "(?:i|we|you|they|he|she|the user|user|the customer|customer|the visitor|visitor)";
const SEE_VERB =
  "(?:see|sees|get|gets|receive|receives|notice|notices|find|finds|view|views|be shown|be presented with)";
/** Nouns for a piece of text: "a message "X"", "the "X" notice" check the text X. */
const TEXTY =
  /^(?:message|notice|notification|text|content|error|error message|success message|confirmation|confirmation message|alert|toast|banner|warning|item|entry|value|label|flash message|heading text)$/i;
/** Nouns for an element: "the "Drag_me" image", "page button "2"". */
const ELEMENT_NOUNS =
  /^(?:(?:page|submit|menu|nav|navigation) )?(?:element|image|picture|icon|input|field|box|button|link|header|heading|headline|section|panel|menu|menu item|tab|logo|card|table|form|dropdown|checkbox|tile|widget|area|region|container|component)$/i;
const SAYING =
  /\s+(?:saying|that says|which says|that states|stating|that reads|reading|with (?:the )?text|containing)$/i;
/** Words that make "the X" a state rather than an element: "an empty list", "the updated title". */
const STATE =
  /\b(?:empty|correct|right|wrong|proper|properly|updated|new|following|same|valid|invalid|expected|relevant|appropriate|successful|successfully|all|both|any|some|no|correct)\b|(?:ed|ing)$/i;

const TRAILING = [
  /\s+(?:on|in) (?:the )?(?:[\w-]+ )?(?:page|screen)$/i,
  /\s+(?:displayed|shown|present|visible|listed|appear|appearing)$/i,
];

/** What "I should see ..." names: a text, an element, a count, the title, or a statement after "that". */
function seen(c: Clause, object: string, negated: boolean): Reading {
  let o = object.trim();
  for (const t of TRAILING) o = o.replace(t, "");
  const that = /^that (.+)$/i.exec(o);
  if (that) {
    if (negated) return undefined;
    return statement(c, that[1]!);
  }
  const count = new RegExp(`^${COUNT_PHRASE}$`, "i").exec(o);
  if (count && !negated && !/^«/.test(count[2]!)) {
    const n = countCheck(count[1], count[2]!, count[3]!, c.m);
    if (n) return n;
  }
  const title = /^(?:the )?(?:page |browser )?title «(\d+)»$/i.exec(o);
  if (title) return negated ? undefined : step("assert", { title_contains: c.m.quotes[Number(title[1])] });
  const quotes = [...o.matchAll(/«(\d+)»/g)];
  if (quotes.length === 2) {
    const withText = /^(?:an? |the )?«(\d+)»(?: element)? with (?:the )?text «(\d+)»$/i.exec(o);
    if (!withText) return seenQuote(c, o, negated);
    if (negated) return undefined;
    const where = readTarget(`«${withText[1]}»`, c.m);
    return where
      ? step("assert", { target: where.target, text: c.m.quotes[Number(withText[2])] })
      : undefined;
  }
  if (quotes.length === 1) return seenQuote(c, o, negated);
  if (/^(?:an?|the) /i.test(o) || /\b(?:button|link|checkbox|heading)$/i.test(o)) {
    const words = o.replace(/^(?:an?|the) /i, "");
    if (STATE.test(words) || /\sof\s/i.test(words))
      return refuse(`"${o}" describes a state or a relation, not an element or a text to find`);
    const where = readTarget(o, c.m, c.it);
    return where ? step("assert", { target: where.target, visible: !negated }) : undefined;
  }
  // Unquoted text must look like text on a page (a capital or a digit first): "I see cart count increase"
  // is a statement, not the words "cart count increase".
  if (/^(?:[A-Z0-9][^«]*)$/.test(o) && o.split(/\s+/).length <= 8)
    return step("assert", negated ? { not_text: o } : { text: o });
  return undefined;
}

function seenQuote(c: Clause, o: string, negated: boolean): Reading {
  const at = /^(.*?)«(\d+)»(.*)$/.exec(o)!;
  const pre = at[1]!.trim().replace(SAYING, "");
  const text = c.m.quotes[Number(at[2])]!;
  const post = at[3]!.trim();
  const shown = (t: unknown) => step("assert", { target: t, visible: !negated });
  if (/^(?:text )?in (?:the )?(?:url|address)$/i.test(post))
    return negated ? undefined : step("assert", { url_contains: text });
  const inside = /^(?:(?:text|message|item) )?(?:in|within|inside|under) (.+)$/i.exec(post);
  if (inside) {
    const where = readTarget(inside[1]!, c.m, c.it);
    return where
      ? step("assert", { target: where.target, ...(negated ? { not_text: text } : { text }) })
      : undefined;
  }
  const preNoun = pre.replace(/^(?:an?|the)\s*/i, "");
  // "the "X"" with an article and nothing else names an element; a bare "X" is text.
  if (pre !== "" && preNoun === "" && post === "") return shown(readTarget(`«${at[2]}»`, c.m)?.target);
  const texty = (w: string) => w === "" || TEXTY.test(w) || /^(?:\w+ )?(?:message|notice|text)$/i.test(w);
  if (texty(preNoun) && texty(post)) return step("assert", negated ? { not_text: text } : { text });
  if (![preNoun, post].every((w) => w === "" || ELEMENT_NOUNS.test(w))) return undefined;
  const phrase = `${preNoun} «${at[2]}» ${post}`.trim();
  const where = readTarget(phrase, c.m, c.it);
  if (!where) return undefined;
  return shown(where.target);
}

const SEE = new RegExp(
  `^(?:${WHO} )?(?:(should|must|can|could|will|would|shall|do|does|did|expect to|want to|am able to|is able to|should be able to|can't|cannot|shouldn't|won't|don't|doesn't|didn't) )?(?:(not|never|no longer) )?(?:also |still |now |then |only |again )?(?:be able to )?${SEE_VERB} (.+)$`,
  "i",
);

/** Checks: "I should see X", "Verify that X is shown", "the title should be X", "Check that ...". */
export const assertionRules: Rule[] = [
  (c) => {
    const see = SEE.exec(c.text);
    if (!see) return undefined;
    const modal = (see[1] ?? "").toLowerCase();
    if (/able/.test(modal) || /\bbe able to\b/i.test(c.text.slice(0, 40)))
      return refuse("an ability is not a check; say what should be on the page");
    if (/^(?:want to|would)$/.test(modal))
      return refuse("a wish is not a check; say what should be on the page");
    const negated = Boolean(see[2]) || /n't|not/.test(modal);
    return seen(c, see[3]!, negated);
  },
  (c) => {
    const verified = whole(`${VERIFY}(?: that| if| whether)? (.+)`).exec(c.text);
    if (!verified) return undefined;
    const rest = verified[1]!;
    const text = /^(?:the )?text «(\d+)»$/i.exec(rest);
    if (text) return step("assert", { text: c.m.quotes[Number(text[1])] });
    return statement(c, rest);
  },
  (c) => {
    const count = whole(`(?:there (?:should|must|will) be|there (?:is|are)) ${COUNT_PHRASE}`).exec(c.text);
    return count ? countCheck(count[1], count[2]!, count[3]!, c.m) : undefined;
  },
  (c) => statement(c, c.text),
];

export const isQuoted = (s: string, m: Masked) => quoted(s, m) !== undefined;
