import { nameOf, readTarget } from "../targets.js";
import { type Masked, quoted } from "../text.js";
import { statement } from "./clauses.js";
import { type Clause, imperative, type Reading, type Rule, step, whole } from "./common.js";

const ITEM = "(?:todo|item|task|entry|row)";
const DONE = "(?:complete|completed|done|finished|checked|ticked)";
const UNDONE =
  "(?:not complete|not completed|incomplete|uncompleted|not done|undone|active|open|pending|unchecked|unticked|to do)";

/** The entry a checkbox belongs to: "the "Buy milk" item", "Feed the cat". */
function owner(phrase: string, m: Masked): string | undefined {
  const p = phrase
    .trim()
    .replace(new RegExp(`^(?:the )?${ITEM}\\s+(?=«)`, "i"), "")
    .replace(new RegExp(`\\s+${ITEM}$`, "i"), "");
  return nameOf(p, m);
}

const inEntry = (name: string | undefined, checked: boolean): Reading =>
  name ? step("check", { target: { role: "checkbox", within: name }, checked }) : undefined;

function checkbox(c: Clause, phrase: string, checked: boolean): Reading {
  // "tick the "Get the milk" item": the item's own checkbox.
  if (new RegExp(`^(?:the )?«\\d+» ${ITEM}$`, "i").test(phrase.trim()))
    return inEntry(owner(phrase, c.m), checked);
  const where = readTarget(
    phrase.replace(/^(?:the )?(?:checkbox|check box|radio button)\s+(?=«)/i, "the checkbox "),
    c.m,
    c.it,
  );
  return where ? step("check", { target: where.target, checked }) : undefined;
}

/**
 * Checkboxes, radios and toggles: "check Remember me", "uncheck X", "tick", "mark X as completed",
 * "complete "X"", "choose "Male"". "Check" followed by a statement ("Check the title contains Shop",
 * "Check that ...") is a check of the page instead: the sentence's shape decides.
 */
export const checkingRules: Rule[] = [
  (c) => {
    const t = imperative(c.text);
    const m = whole("(check|tick|select|uncheck|untick|un-tick|deselect|unselect)(?: on)? (.+)").exec(t);
    if (!m) return undefined;
    const verb = m[1]!.toLowerCase();
    if (verb === "check" || verb === "tick") {
      if (/^(?:that|if|whether)\b/i.test(m[2]!)) return undefined;
      const asStatement = statement(c, m[2]!);
      if (asStatement) return asStatement;
    }
    if (verb === "select" && !/\b(?:checkbox|check box|radio)\b/i.test(m[2]!)) return undefined;
    return checkbox(c, m[2]!, !/^(?:un|de)/.test(verb));
  },
  (c) => {
    const t = imperative(c.text);
    const done = whole(`mark (.+?) as (?:being )?${DONE}`).exec(t);
    if (done) return inEntry(owner(done[1]!, c.m), true);
    const undone = whole(`mark (.+?) as (?:being )?${UNDONE}`).exec(t);
    if (undone) return inEntry(owner(undone[1]!, c.m), false);
    const complete = whole(`complete (?:the )?(«\\d+»)(?: ${ITEM})?`).exec(t);
    if (complete) return inEntry(quoted(complete[1]!, c.m), true);
    const set = whole("set (?:the )?(?:checkbox|check box|toggle|switch) (.+?) to (.+)").exec(t);
    if (set) {
      const state = (quoted(set[2]!, c.m) ?? set[2]!).trim().toLowerCase();
      const on = /^(?:checked|on|true|yes|ticked|enabled)$/.test(state);
      const off = /^(?:unchecked|off|false|no|unticked|disabled)$/.test(state);
      return on || off ? checkbox(c, `the checkbox ${set[1]}`, on) : undefined;
    }
    const choose = whole("choose (?:the )?(«\\d+»)(?: radio button| option| radio)?").exec(t);
    if (choose) return step("check", { target: quoted(choose[1]!, c.m)!, checked: true });
    return undefined;
  },
];

/** "Delete X" / "remove X": the Delete (Remove) button of the entry X. */
export const entryActionRules: Rule[] = [
  (c) => {
    const t = imperative(c.text);
    const m = whole(`(delete|remove) (?:the )?(?:${ITEM} )?(.+?)(?: ${ITEM})?(?: from the list)?`).exec(t);
    if (!m) return undefined;
    const name = quoted(m[2]!.trim(), c.m) ?? (/^[A-Z][^«]*$/.test(m[2]!.trim()) ? m[2]!.trim() : undefined);
    if (!name || /\s(?:and|then)\s/i.test(name)) return undefined;
    const verb = m[1]!.toLowerCase() === "delete" ? "Delete" : "Remove";
    return step("click", { target: { role: "button", description: verb, within: name } });
  },
];
