import { type ReadTarget, readTarget } from "../targets.js";
import { looksLikeUrlOrPath, type Masked, plainValue, quoted } from "../text.js";
import {
  type Clause,
  imperative,
  type Reading,
  type Rule,
  refuse,
  type Step,
  step,
  whole,
} from "./common.js";
import { ambiguousKey, keyOf } from "./keys.js";

const PURPOSE =
  /\s+(?:in order )?to (?:edit|open|expand|collapse|close|select|activate|view|see|start|submit|show|display|reveal|toggle|focus)\b.*$/i;

function target(c: Clause, phrase: string): ReadTarget | undefined {
  const text = phrase.replace(PURPOSE, "").replace(/^(?:on|in|at)\s+/i, "");
  const link = /^(?:the )?link (?:to|pointing to|with href) (.+)$/i.exec(text);
  if (link) {
    const href = plainValue(link[1]!, c.m);
    if (href && looksLikeUrlOrPath(href)) return { target: { css: `a[href="${href}"]` }, field: false };
  }
  return readTarget(text.replace(/^(?:the )?(?:text|element|item|option|tab) (?=«)/i, ""), c.m, c.it);
}

const click = (t: ReadTarget | undefined, extra: Record<string, unknown> = {}): Reading =>
  t ? step("click", { target: t.target, ...extra }) : undefined;

const MODIFIER: Record<string, string> = {
  ctrl: "Control",
  control: "Control",
  cmd: "Meta",
  command: "Meta",
  meta: "Meta",
  shift: "Shift",
  alt: "Alt",
  option: "Alt",
};

function pressed(c: Clause, t: string): Reading {
  const press = whole(
    "(?:press|hit|push|strike|tap)(?: on)? (?:the )?(.+?)( keys?)?(?: (?:in|on|into) (.+))?",
  ).exec(t);
  if (!press) return undefined;
  const saidKey = Boolean(press[2]);
  const key = keyOf(press[1]!, c.m, saidKey);
  if (key) {
    if (!press[3]) return step("press", { key });
    const where = target(c, press[3]);
    return where ? step("press", { key, target: where.target }) : undefined;
  }
  if (!saidKey && !press[3] && ambiguousKey(press[1]!, c.m))
    return refuse(
      `say "the ${quoted(press[1]!, c.m) ?? press[1]} key" or "the ${quoted(press[1]!, c.m) ?? press[1]} button"`,
    );
  if (saidKey) return undefined;
  // "press X" without a key name presses a button: "I press "Log in"" is a click.
  return click(target(c, t.replace(/^(?:press|hit|push|strike|tap)(?: on)?\s+/i, "")));
}

/** Clicks (single, double, right, with modifiers), key presses, hovering, dragging, uploading, scrolling. */
export const pointerRules: Rule[] = [
  (c) => {
    const t = imperative(c.text);
    const combo = whole("(?:press|hit|use)(?: the)? keyboard shortcut (.+)").exec(t);
    if (combo) {
      const key = keyOf(combo[1]!, c.m, true);
      return key ? step("press", { key }) : undefined;
    }
    return pressed(c, t);
  },
  (c) => {
    const t = imperative(c.text);
    const dbl = whole("(?:double[- ]?click|dblclick|double[- ]?tap)(?: on)? (.+)").exec(t);
    if (dbl) return click(target(c, dbl[1]!), { click_count: 2 });
    const right = whole("(?:right[- ]?click|context[- ]?click|right[- ]?tap)(?: on)? (.+)").exec(t);
    if (right) return click(target(c, right[1]!), { button: "right" });
    const mod = whole("(ctrl|control|cmd|command|meta|shift|alt|option)[- +]click(?: on)? (.+)").exec(t);
    if (mod) return click(target(c, mod[2]!), { modifiers: [MODIFIER[mod[1]!.toLowerCase()]] });
    const plain = whole("(?:click|tap|follow|activate|expand|collapse|toggle)(?: on| in)? (.+)").exec(t);
    if (plain) return click(target(c, plain[1]!));
    if (/^click$/i.test(t) && c.it !== undefined) return step("click", { target: c.it });
    // "select"/"choose" click only what is named as a control: "select the Create User button".
    const chosen = whole("(?:select|choose|pick|use) (?:the )?(.+? (?:button|link|tab|menu item|icon))").exec(
      t,
    );
    if (chosen) return click(target(c, chosen[1]!));
    const passive = whole("(.+?) (?:is|gets|get|are) (?:clicked|pressed|tapped|followed)").exec(c.text);
    return passive ? click(target(c, passive[1]!)) : undefined;
  },
  (c) => {
    const t = imperative(c.text);
    const hover = whole(
      "(?:hover|mouse ?over|mouse hover|move (?:the )?(?:mouse|pointer|cursor))(?: (?:over|on|onto|to|above))? (.+)",
    ).exec(t);
    if (!hover) return undefined;
    const where = target(c, hover[1]!);
    return where ? step("hover", { target: where.target }) : undefined;
  },
  (c) => {
    const t = imperative(c.text);
    const drag = whole(
      "drag(?: and drop)? (.+?) (?:to|onto|into|on|over|and drop (?:it )?(?:to|on|onto|into|in|over)) (.+)",
    ).exec(t);
    if (!drag) return undefined;
    const source = target(c, drag[1]!);
    const destination = target(c, drag[2]!);
    return source && destination
      ? step("drag_drop", { source: source.target, destination: destination.target })
      : undefined;
  },
  (c) => {
    const t = imperative(c.text);
    const up = whole(
      "(?:upload|attach)(?: the)?(?: files?)? (.+?) (?:to|into|in|using|via|with|through) (.+)",
    ).exec(t);
    if (!up) return undefined;
    const files = filesOf(up[1]!, c.m);
    const where = target(
      c,
      up[2]!.replace(/^(?:the )?(?:file input|file field|file upload|input) (?=«)/i, ""),
    );
    return files && where ? step("upload_file", { files, target: where.target }) : undefined;
  },
  (c): Reading => {
    const t = imperative(c.text);
    if (whole("scroll (?:all the way )?(?:down|to the bottom)(?: of the page)?").test(t))
      return step("scroll", { y: 100000 });
    if (whole("scroll (?:all the way )?(?:up|to the top)(?: of the page)?").test(t))
      return step("scroll", { y: 0 });
    const to =
      whole("scroll (?:down |up )?(?:to|until) (?:the )?(?:element )?(.+?)(?: is visible)?").exec(t) ??
      whole("scroll (.+?) into view").exec(t);
    if (!to) return undefined;
    const where = target(c, to[1]!);
    return where ? step("scroll", { target: where.target }) : undefined;
  },
];

function filesOf(phrase: string, m: Masked): string[] | undefined {
  const parts = phrase
    .split(/\s*,\s*|\s+and\s+/)
    .map((p) => plainValue(p.replace(/^(?:the )?(?:files? )?/i, ""), m));
  if (parts.some((p) => !p || /\s/.test(p!.trim()))) return undefined;
  return parts as string[];
}

export type { Step };
