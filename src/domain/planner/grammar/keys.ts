import { type Masked, quoted } from "../text.js";

const NAMES: Record<string, string> = {
  enter: "Enter",
  return: "Enter",
  tab: "Tab",
  escape: "Escape",
  esc: "Escape",
  backspace: "Backspace",
  space: "Space",
  spacebar: "Space",
  "page up": "PageUp",
  pageup: "PageUp",
  "page down": "PageDown",
  pagedown: "PageDown",
  "arrow up": "ArrowUp",
  "up arrow": "ArrowUp",
  arrowup: "ArrowUp",
  "arrow down": "ArrowDown",
  "down arrow": "ArrowDown",
  arrowdown: "ArrowDown",
  "arrow left": "ArrowLeft",
  "left arrow": "ArrowLeft",
  arrowleft: "ArrowLeft",
  "arrow right": "ArrowRight",
  "right arrow": "ArrowRight",
  arrowright: "ArrowRight",
};
/** Keys that are also common button names: "press Delete" could be either, "press the Delete key" cannot. */
const AMBIGUOUS: Record<string, string> = { delete: "Delete", del: "Delete", home: "Home", end: "End" };
const MODIFIERS: Record<string, string> = {
  ctrl: "Control",
  control: "Control",
  cmd: "Meta",
  command: "Meta",
  meta: "Meta",
  alt: "Alt",
  option: "Alt",
  shift: "Shift",
};

function single(word: string, saidKey: boolean): string | undefined {
  const w = word.trim().toLowerCase().replace(/\s+/g, " ");
  if (NAMES[w]) return NAMES[w];
  if (AMBIGUOUS[w]) return saidKey ? AMBIGUOUS[w] : undefined;
  if (/^f(?:[1-9]|1[0-2])$/.test(w)) return w.toUpperCase();
  if (saidKey && /^[a-z0-9]$/.test(w)) return w.toUpperCase();
  return undefined;
}

/**
 * The key a phrase names, as Playwright spells it ("Enter", "Control+A"), or undefined. `saidKey` is true
 * when the sentence says "key": then Delete, Home, End and single letters are keys too.
 */
export function keyOf(phrase: string, m: Masked, saidKey: boolean): string | undefined {
  const text = quoted(phrase, m) ?? phrase;
  const parts = text.trim().split(/\s*\+\s*|\s*-\s*(?=\S)/);
  if (parts.length > 1) {
    const mods = parts.slice(0, -1).map((p) => MODIFIERS[p.toLowerCase()]);
    if (mods.some((x) => !x)) return undefined;
    const last = parts.at(-1)!;
    const key = single(last, true) ?? (/^[a-z0-9]$/i.test(last) ? last.toUpperCase() : undefined);
    return key ? [...mods, key].join("+") : undefined;
  }
  return single(text, saidKey);
}

/** True when the words are a key that could also be a button's name ("Delete", "Home"). */
export const ambiguousKey = (phrase: string, m: Masked) =>
  AMBIGUOUS[(quoted(phrase, m) ?? phrase).trim().toLowerCase()] !== undefined;
