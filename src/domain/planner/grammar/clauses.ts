import { type ReadTarget, readTarget } from "../targets.js";
import { looksLikeUrlOrPath, type Masked, quoted } from "../text.js";
import { type Clause, type Reading, refuse, step } from "./common.js";
import { COUNT_PHRASE, countCheck } from "./counts.js";

const MODAL = "(?:(?:should|must|will|shall|does|do|did|can|is|are) )?";
const NOT = "(not |never |no longer )?";
const SHOWN =
  "(?:be )?(?:displayed|visible|shown|present|seen|listed|available|rendered|appear(?:s|ed)?|exists?|on (?:the )?(?:page|screen)|becomes? visible|be visible)";
const HIDDEN = "(?:be )?(?:hidden|invisible|gone|removed|disappear(?:s|ed)?|vanish(?:es|ed)?)";
const HAS =
  "(?:contains?|contain|has|have|shows?|show|displays?|display|reads?|read|says?|say|equals?|equal|includes?|include|be|is|are|was|matches|match|begins? with|starts? with|ends? with)";
const TITLE = /^(?:the |a )?(?:page |browser |document |window |tab )?(?:title|tab)(?: of the page)?$/i;
const URL = /^(?:the |a )?(?:current |page |browser )?(?:url|address|location|path)$/i;
const TEXT_VALUE = /^(?:the )?(?:text|value|label|message|pattern|string|word)\s+(?=«)/i;

/** A value in a check: one quoted part, or a short unquoted value that starts with a capital or a digit. */
function checkValue(phrase: string, m: Masked): string | undefined {
  const p = phrase.trim().replace(TEXT_VALUE, "");
  const q = quoted(p, m);
  if (q !== undefined) return q;
  if (/«/.test(p)) return undefined;
  if (/^(?:\d[\w.,%:/ -]*|[A-Z][\w.,!?'’:/ -]*)$/.test(p) && p.split(/\s+/).length <= 6) return p;
  return undefined;
}

const subjectTarget = (c: Clause, s: string): ReadTarget | undefined =>
  /^(?:it|its|this|that)\b/i.test(s.trim()) && c.it === undefined ? undefined : readTarget(s, c.m, c.it);

/** A bare quoted subject ("Welcome" is shown) is text on the page; "the X" or "X button" is an element. */
const bareText = (s: string, m: Masked) => quoted(s.trim(), m);

const TEXT_NOUN =
  /^(?:message|notice|notification|text|error|warning|alert|toast|banner|label|title|heading)$/i;

function visibility(c: Clause, subject: string, shown: boolean): Reading {
  const text = bareText(subject, c.m);
  if (text !== undefined) return step("assert", shown ? { text } : { not_text: text });
  // "Result "10" is displayed": the result shows 10. "the message "Saved" is shown": the text Saved.
  const nounValue = /^(?:the |an? )?([\w -]{1,30}?) «(\d+)»$/i.exec(subject.trim());
  if (
    nounValue &&
    !/^(?:the|an?|element|image|icon|input|field|box|button|link|checkbox|heading|header|section|menu item|item|tab)$/i.test(
      nounValue[1]!.trim(),
    )
  ) {
    const value = c.m.quotes[Number(nounValue[2])]!;
    const noun = nounValue[1]!.trim();
    if (TEXT_NOUN.test(noun) || /(?:message|notice|text)$/i.test(noun))
      return step("assert", shown ? { text: value } : { not_text: value });
    const where = readTarget(noun, c.m, c.it);
    if (!where || typeof where.target !== "string" || !shown) return undefined;
    return step("assert", { target: where.target, text: value });
  }
  // "rooms are displayed": a plural without a name is a kind of thing, not an element to find.
  if (/^[a-z][\w-]*s$/.test(subject.trim())) return undefined;
  const t = subjectTarget(c, subject);
  return t ? step("assert", { target: t.target, visible: shown }) : undefined;
}

function contains(c: Clause, subject: string, verb: string, negated: boolean, object: string): Reading {
  if (/^(?:match|matches|begins? with|starts? with|ends? with)$/i.test(verb))
    return refuse(`"${verb}" is a pattern or a position; TestDriver checks that text is contained`);
  const s = subject.trim();
  if (TITLE.test(s) || URL.test(s)) {
    if (negated) return refuse("TestDriver checks what a title or address contains, not what it lacks");
    const path = object.trim().replace(TEXT_VALUE, "");
    const v = checkValue(object, c.m) ?? (URL.test(s) && looksLikeUrlOrPath(path) ? path : undefined);
    if (v === undefined) return undefined;
    return step("assert", TITLE.test(s) ? { title_contains: v } : { url_contains: v });
  }
  const count = new RegExp(`^${COUNT_PHRASE}$`, "i").exec(object.trim());
  if (count && /^(?:the )?(?:[\w-]+ )?(?:list|table|menu)$/i.test(s)) {
    const n = countCheck(count[1], count[2]!, count[3]!, c.m, true);
    if (n) return n;
  }
  const t = subjectTarget(c, s);
  if (!t) return undefined;
  if (/^(?:empty|blank)$/i.test(object.trim())) return step("assert", { target: t.target, value: "" });
  const v = checkValue(object, c.m);
  if (v === undefined) return undefined;
  if (negated) return step("assert", { target: t.target, not_text: v });
  return step(
    "assert",
    t.field || /\bvalue\b/i.test(object) ? { target: t.target, value: v } : { target: t.target, text: v },
  );
}

/**
 * A statement about the page, as a check: "the X is displayed", "the title contains Y", "X should contain
 * the text Y", "X is checked", ""Apples" is in the list", "the list shows 3 items". Undefined when the
 * statement is not one of these.
 */
export function statement(c: Clause, text: string): Reading {
  const t = text.trim().replace(/\s+on (?:the )?(?:[\w-]+ )?(?:page|screen)$/i, "");
  const re = (s: string) => new RegExp(`^${s}$`, "i");
  const sub = "(.+?)";
  let m = re(`(?:the )?text ${sub}`).exec(t);
  if (m && quoted(m[1]!, c.m) !== undefined) return step("assert", { text: quoted(m[1]!, c.m) });
  m = re(
    `${sub} (?:is|are|should be|must be) (?:open|opened|shown|displayed|visible) with (?:the )?text (.+)`,
  ).exec(t);
  if (m) {
    const value = checkValue(m[2]!, c.m);
    const where = subjectTarget(c, m[1]!);
    return value !== undefined && where ? step("assert", { target: where.target, text: value }) : undefined;
  }
  m = re(`${sub} ${MODAL}${NOT}${SHOWN}`).exec(t);
  if (m) return visibility(c, m[1]!, !m[2]);
  m = re(`${sub} ${MODAL}${HIDDEN}`).exec(t);
  if (m) return visibility(c, m[1]!, false);
  m = re(`${sub} (?:is|are)?\\s?(?:present|shown|displayed|visible)`).exec(t);
  if (m) return visibility(c, m[1]!, true);
  m = re(
    `${sub} ${MODAL}${NOT}(?:be )?(checked|ticked|unchecked|unticked|selected|enabled|disabled|focused|active|inactive)`,
  ).exec(t);
  if (m) {
    const state = m[3]!.toLowerCase();
    if (!/^(?:checked|ticked|unchecked|unticked)$/.test(state))
      return refuse(
        `"${state}" is a state TestDriver does not check; checks are for text, visibility, values and checkboxes`,
      );
    const target = subjectTarget(c, m[1]!);
    return target
      ? step("assert", { target: target.target, checked: !m[2] === /^(?:checked|ticked)$/.test(state) })
      : undefined;
  }
  m = re(`${sub} ${MODAL}${NOT}(?:be )?marked as (?:being )?(complete|completed|done|finished|checked)`).exec(
    t,
  );
  if (m) {
    const owner = quoted(
      m[1]!
        .replace(/^(?:the )?(?:todo|item|task|entry)?\s*/i, "")
        .replace(/\s+(?:todo|item|task|entry)$/i, ""),
      c.m,
    );
    return owner
      ? step("assert", { target: { role: "checkbox", within: owner }, checked: !m[2] })
      : undefined;
  }
  m = re(
    `${sub} (?:appears?|is shown|is displayed|is listed|shows up|is|are) (?:within|in|inside|on) (.+)`,
  ).exec(t);
  if (m) {
    const value = checkValue(m[1]!.replace(/^the\s+(?=«)/i, ""), c.m);
    const where =
      readTarget(m[2]!, c.m, c.it) ??
      (/^(?:the )?list$/i.test(m[2]!) ? { target: { role: "list" }, field: false } : undefined);
    return value !== undefined && where ? step("assert", { target: where.target, text: value }) : undefined;
  }
  m = re(`${sub} ${MODAL}${NOT}${HAS}(?: (?:the|a))?(?: (?:text|value))? (.+)`).exec(t);
  if (m) {
    const verb =
      /(contains?|contain|has|have|shows?|show|displays?|display|reads?|read|says?|say|equals?|equal|includes?|include|be|is|are|was|matches|match|begins? with|starts? with|ends? with)(?= )/i.exec(
        t.slice(m[1]!.length),
      )?.[1] ?? "";
    return contains(c, m[1]!, verb, Boolean(m[2]), m[3]!);
  }
  return undefined;
}
