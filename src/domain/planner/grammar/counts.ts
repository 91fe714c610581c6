import type { Masked } from "../text.js";
import { looksLikeCss, quoted } from "../text.js";
import type { Reading } from "./common.js";
import { refuse, step } from "./common.js";

/** What a counted noun is, as a role: "3 items" counts list items, "2 rows" table rows. */
const COUNTED: [RegExp, string][] = [
  [/^(?:(?:todo|list|cart|menu) )?(?:items?|entr(?:y|ies)|todos?|tasks?|list items?)$/i, "listitem"],
  [/^(?:table )?rows?$/i, "row"],
  [/^links?$/i, "link"],
  [/^buttons?$/i, "button"],
  [/^check ?box(?:es)?$/i, "checkbox"],
  [/^headings?$/i, "heading"],
];

const NUMBER_WORDS: Record<string, number> = {
  no: 0,
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

export const COUNT_PHRASE =
  "(?:(exactly|only|just|at least|at most|more than|less than|fewer than|over|under) )?(\\d+|no|zero|one|two|three|four|five|six|seven|eight|nine|ten|«\\d+») (.+?)";

/**
 * "3 items", "2 rows", "3 ".todo-list li" elements" as a count check; a bound ("at least 3") or a noun that
 * names no kind of element ("3 products") is refused: a count of the wrong elements would be a misreading.
 */
export function countCheck(
  bound: string | undefined,
  amount: string,
  noun: string,
  m: Masked,
  inList = false,
): Reading {
  if (bound && !/^(?:exactly|only|just)$/i.test(bound))
    return refuse(`"${bound}" is a bound; TestDriver checks an exact count`);
  const q = quoted(amount, m);
  const n = q !== undefined ? Number(q) : (NUMBER_WORDS[amount.toLowerCase()] ?? Number(amount));
  if (!Number.isInteger(n)) return undefined;
  const cleaned = noun.trim().replace(/\s+(?:in|on) (?:the )?(?:list|page|screen|table)$/i, "");
  const css = /^«(\d+)»(?: elements?)?$/.exec(cleaned);
  if (css && looksLikeCss(m.quotes[Number(css[1])]!))
    return step("assert", { target: { css: m.quotes[Number(css[1])] }, count: n });
  // What a list shows are its items, whatever the tester calls them: "the list shows 3 products".
  const role =
    COUNTED.find(([re]) => re.test(cleaned))?.[1] ??
    (inList && /^\w+s$/i.test(cleaned) ? "listitem" : undefined);
  if (!role) {
    // "2 items left" is a counter's text, not a count of elements; "3 products" names nothing countable.
    if (/\s/.test(cleaned)) return undefined;
    return refuse(`"${cleaned}" is not a kind of element TestDriver can count (items, rows, links, buttons)`);
  }
  return step("assert", { target: { role }, count: n });
}
