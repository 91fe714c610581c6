import { readTarget } from "../targets.js";
import { type Masked, PLACEHOLDER, quoted } from "../text.js";
import { type Clause, imperative, type Reading, type Rule, secretField, step, whole } from "./common.js";

/** Words that introduce a description of a value instead of the value: "enter my email", "a valid password". */
const VAGUE =
  /^(?:my|your|his|her|their|our|a|an|the|some|any|all)\b|^(?:valid|invalid|correct|incorrect|wrong|proper|new|random|required|existing)(?:\s+(?:user ?name|e-?mail(?: address)?|password|credentials|data|details|value|information|text|address|number|code|date|name|input)s?)?$/i;
const ADJECTIVES =
  /^(?:(?:the|a|an|my)\s+)?(?:(?:valid|invalid|correct|incorrect|wrong|new|existing|same)\s+)?/i;

/** The value to type: one quoted part (descriptive words before it allowed), or plain words that are not a description. */
function typedValue(phrase: string, m: Masked): { text: string; secret: boolean } | undefined {
  const p = phrase.trim().replace(/^(?:with\s+)?(?:my|the)\s+(?=«)/i, "");
  const q = quoted(p, m);
  if (q !== undefined) return { text: q, secret: false };
  const described = /^((?:[\w'-]+\s+){0,5})«(\d+)»$/.exec(p);
  if (described) return { text: m.quotes[Number(described[2])]!, secret: /\bsecret\b/i.test(described[1]!) };
  if (
    !p ||
    PLACEHOLDER.test(p) ||
    VAGUE.test(p) ||
    /\s(?:and|then)\s/i.test(p) ||
    /^(?:in|into|on|to|at|for|from|with|out)\b/i.test(p)
  )
    return undefined;
  return { text: p, secret: false };
}

function typeInto(
  c: Clause,
  targetPhrase: string,
  value: { text: string; secret: boolean } | undefined,
): Reading {
  if (!value) return undefined;
  const where = readTarget(targetPhrase, c.m, c.it);
  if (!where) return undefined;
  const name =
    typeof where.target === "string" ? where.target : [where.target.description, where.target.css].join(" ");
  // A ${env:NAME} value is stored as written and resolved when typing: it is no secret literal to hold.
  const secret =
    !/\$\{env:/.test(value.text) && (value.secret || /\(secret\)/i.test(c.text) || secretField(name));
  return step("type", { target: where.target, text: value.text, ...(secret ? { secret: true } : {}) });
}

const PAGE_QUALIFIER = /\s+(?:on|in) (?:the )?(?:[\w-]+ )?(?:page|screen|form)$/i;

/** Typing into fields, clearing them, and choosing from lists. */
export const typingRules: Rule[] = [
  (c) => {
    const t = imperative(c.text).replace(PAGE_QUALIFIER, "");
    const fill = whole("(?:fill in|fill out|fill|populate|complete) (.+?) with (.+)").exec(t);
    if (fill) return typeInto(c, fill[1]!, typedValue(fill[2]!, c.m));
    const valueFor = whole("(?:fill in|enter|type) («\\d+») for (.+)").exec(t);
    if (valueFor) return typeInto(c, valueFor[2]!, typedValue(valueFor[1]!, c.m));
    const as = whole("(?:enter|enters|type|input|use|fill in) (.+?) as (?:the |a |an |my )?(.+)").exec(t);
    if (as && quoted(as[1]!, c.m) !== undefined) return typeInto(c, as[2]!, typedValue(as[1]!, c.m));
    const setTo = whole(
      "set (.+?) (?:to|in|into) ((?:the )?(?:inputfield|input field|field|input|element|textbox|text box) .+)",
    ).exec(t);
    if (setTo)
      return typeInto(
        c,
        setTo[2]!.replace(/^(?:the )?(?:inputfield|input field|field|input|element)\s+(?=«)/i, ""),
        typedValue(setTo[1]!, c.m),
      );
    const setField = whole("set (?:the )?(?:field|value of|value of the field) (.+?) to (.+)").exec(t);
    if (setField) return typeInto(c, setField[1]!, typedValue(setField[2]!, c.m));
    const into = whole(
      "(?:type|enter|input|write|put|insert|key in|set)(?: the)?(?: (?:value|text))? (.+?) (?:in|into|to|on|inside) (.+)",
    ).exec(t);
    if (into && !/^(?:the )?(?:prompt|alert|dialog)\b/i.test(into[2]!))
      return typeInto(c, into[2]!, typedValue(into[1]!, c.m));
    // "I enter username "bob"": the field's name, then the value.
    const fieldValue = whole("(?:enter|type|input|fill(?: in)?|provide|put|set) (.{1,40}?) «(\\d+)»").exec(t);
    if (fieldValue && !PLACEHOLDER.test(fieldValue[1]!)) {
      const fieldName = fieldValue[1]!.replace(ADJECTIVES, "").trim();
      if (fieldName.split(/\s+/).length <= 3 && !/\b(?:text|value)$/i.test(fieldName))
        return typeInto(c, fieldName, { text: c.m.quotes[Number(fieldValue[2])]!, secret: false });
    }
    return undefined;
  },
  (c) => {
    const filled = whole(
      "(?:the )?(?:field |input )?(.+?) (?:is|gets|was|has been) (?:filled|populated)(?: in)? with (.+)",
    ).exec(c.text);
    if (filled) return typeInto(c, filled[1]!, typedValue(filled[2]!, c.m));
    const introduced = whole(
      "(.+?) (?:is|gets|was|has been) (?:introduced|entered|typed|put|written) (?:in|into) (.+)",
    ).exec(c.text);
    return introduced ? typeInto(c, introduced[2]!, typedValue(introduced[1]!, c.m)) : undefined;
  },
  (c) => {
    const t = imperative(c.text);
    const clear = whole(
      "(?:clear|empty)(?: out)? (?:the )?(?:text (?:in|of) )?(inputfield |input field |field |input )?(.+)",
    ).exec(t);
    if (clear) {
      const where = readTarget(clear[2]!, c.m, c.it);
      if (!where || (!clear[1] && !where.field)) return undefined;
      return step("type", { target: where.target, text: "" });
    }
    const leave = whole("leave (.+?) (?:empty|blank)").exec(t);
    if (leave && !/\b(?:fields|and)\b/i.test(leave[1]!)) {
      const where = readTarget(leave[1]!, c.m, c.it);
      return where ? step("type", { target: where.target, text: "" }) : undefined;
    }
    return undefined;
  },
  (c) => {
    const t = imperative(c.text).replace(PAGE_QUALIFIER, "");
    const from = whole(
      "(?:select|choose|pick)(?: the)? (.+?)(?: option| value| item| entry)? (?:from|in|on|of) (?:the )?(.+)",
    ).exec(t);
    if (from) {
      const value = optionValue(from[1]!, c.m);
      const where = readTarget(from[2]!, c.m, c.it);
      return value && where ? step("select", { target: where.target, values: [value] }) : undefined;
    }
    const named = whole("select (?:the )?(.{1,40}?) «(\\d+)»").exec(t);
    if (named && !PLACEHOLDER.test(named[1]!) && named[1]!.split(/\s+/).length <= 4) {
      const where = readTarget(named[1]!.replace(/\s+(?:as|to)$/i, ""), c.m, c.it);
      return where
        ? step("select", { target: where.target, values: [c.m.quotes[Number(named[2])]!] })
        : undefined;
    }
    return undefined;
  },
];

function optionValue(phrase: string, m: Masked): string | undefined {
  const q = quoted(phrase, m);
  if (q !== undefined) return q;
  const p = phrase.trim();
  return !p || PLACEHOLDER.test(p) || VAGUE.test(p) ? undefined : p;
}
