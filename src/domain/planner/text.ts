/**
 * The text a sentence rule reads: quoted parts are set aside as placeholders («0», «1», ...) so that words
 * inside quotes ("Save and Continue", "Log in") never take part in the reading of the sentence itself.
 */
export interface Masked {
  /** The sentence with each quoted part replaced by «n». */
  text: string;
  /** The quoted parts, exactly as written between the quotes. */
  quotes: string[];
}

const QUOTE_PAIRS: Record<string, string> = { '"': '"', "“": "”", "”": "”", "‘": "’", "`": "`", "'": "'" };

/** Sets quoted parts aside. A single quote opens only after a space or a bracket (so "I'm" stays a word). */
export function mask(sentence: string): Masked {
  const quotes: string[] = [];
  let text = "";
  let i = 0;
  while (i < sentence.length) {
    const c = sentence[i]!;
    const close = QUOTE_PAIRS[c];
    const opensHere = close !== undefined && (c !== "'" || i === 0 || /[\s([{,:]/.test(sentence[i - 1]!));
    if (opensHere) {
      const end = findClose(sentence, i + 1, close, c === "'");
      if (end > i) {
        text += `«${quotes.length}»`;
        quotes.push(sentence.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    text += c;
    i++;
  }
  return { text, quotes };
}

function findClose(s: string, from: number, close: string, apostrophe: boolean): number {
  for (let j = from; j < s.length; j++) {
    if (s[j] !== close && !(close === "”" && s[j] === '"')) continue;
    // A closing single quote ends a word: 'contact' is quoted, but the ' in "'S'inscrire" is not an end.
    if (apostrophe && j + 1 < s.length && /[\p{L}\p{N}]/u.test(s[j + 1]!)) continue;
    return j;
  }
  return -1;
}

export const PLACEHOLDER = /«(\d+)»/;
export const ONLY_PLACEHOLDER = /^«(\d+)»$/;

/** The quoted text a placeholder stands for, or undefined when `s` is not exactly one placeholder. */
export function quoted(s: string, m: Masked): string | undefined {
  const hit = ONLY_PLACEHOLDER.exec(s.trim());
  return hit ? m.quotes[Number(hit[1])] : undefined;
}

/** Puts the quoted parts back (without their quotes). */
export function unmask(s: string, m: Masked): string {
  return s.replace(/«(\d+)»/g, (_, n: string) => m.quotes[Number(n)] ?? "");
}

export const placeholders = (s: string) => [...s.matchAll(/«(\d+)»/g)].length;

/** A value to type or check: one quoted part exactly, or unquoted words as written. */
export function plainValue(s: string, m: Masked): string | undefined {
  const t = s.trim();
  const q = quoted(t, m);
  if (q !== undefined) return q;
  if (t === "" || PLACEHOLDER.test(t)) return undefined;
  return t;
}

const ORDINALS = [
  "first",
  "second",
  "third",
  "fourth",
  "fifth",
  "sixth",
  "seventh",
  "eighth",
  "ninth",
  "tenth",
];

/** 1 for "first" or "1st", ... 10 for "tenth"; undefined otherwise. */
export function ordinal(word: string): number | undefined {
  const w = word.toLowerCase();
  const i = ORDINALS.indexOf(w);
  if (i >= 0) return i + 1;
  const n = /^(\d{1,3})(st|nd|rd|th)$/.exec(w);
  return n ? Number(n[1]) : undefined;
}

export const ORDINAL_WORD = `(?:${ORDINALS.join("|")}|\\d{1,3}(?:st|nd|rd|th))`;

const CSS_TOKEN = /^(?:[>+~]|\*|[a-z][\w-]*(?:[#.:[][^\s@]*)?|[#.:[][^\s@]+)$/i;

/** A CSS selector ("#id", ".class", "a.nav", "[name=q]", "input#edit-name", "h1", ".todo-list li"). */
export function looksLikeCss(s: string): boolean {
  const t = s.trim();
  if (/^h[1-6]$/i.test(t)) return true;
  const tokens = t.split(/\s+/);
  return (
    tokens.every((tok) => CSS_TOKEN.test(tok)) &&
    tokens.some((tok) => /[#.[:]/.test(tok)) &&
    !/^[a-z][\w-]*\.$/i.test(t)
  );
}

export function looksLikeUrlOrPath(s: string): boolean {
  const t = s.trim();
  if (/[{}<>\s]/.test(t)) return false;
  return /^https?:\/\/\S+$/.test(t) || /^\/\S*$/.test(t) || /^[\w.-]+\/[\w./?&=%#-]*$/.test(t);
}
