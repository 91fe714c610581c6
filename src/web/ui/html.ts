/**
 * HTML as strings, escaped by default, for the components the console and the static report share. These
 * modules run in Node (the report) and in the browser (the console): no imports beyond siblings.
 */

/** Marks text as markup already safe to insert. */
export class Safe {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

export const raw = (markup: string) => new Safe(markup);

export const esc = (value: unknown): string =>
  String(value ?? "").replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

function piece(value: unknown): string {
  if (value instanceof Safe) return value.value;
  if (Array.isArray(value)) return value.map(piece).join("");
  if (value === null || value === undefined || value === false) return "";
  return esc(value);
}

/** A template whose interpolations are escaped unless they are Safe (or arrays of Safe). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Safe {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + (strings[i + 1] ?? "");
  return new Safe(out);
}

/** A number as a percentage for people: 0.857 → "86 %". */
export const percent = (x: number) => `${Math.round(x * 100)} %`;

/** Milliseconds for people: 850 ms, 3.4 s, 2 min 5 s. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A short id for display: the first 8 characters of a UUID. */
export const shortId = (id: string) => id.slice(0, 8);
