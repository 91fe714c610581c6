/** A requirement sentence as written, with its Gherkin keyword set aside. */
export interface Sentence {
  /** The sentence as the user wrote it (list marker and keyword included), for messages. */
  raw: string;
  /** Without the list marker, the Gherkin keyword and end punctuation. */
  text: string;
  keyword?: "given" | "when" | "then" | "and" | "but" | "*";
  /** The step stands under a Then (directly, or through And/But): a check, not an action. */
  then: boolean;
}

const KEYWORD = /^(given|when|then|and|but|\*)\s+/i;
const LIST_MARKER = /^(?:[-*•]\s+|\d+[.)]\s+|\[[ x]\]\s+)/i;

/** Splits requirements into sentences: lines, and sentence ends (". " before a capital). */
export function sentencesOf(requirements: string): string[] {
  return requirements
    .split(/\r?\n/)
    .flatMap((line) => splitLine(line))
    .map((s) => s.trim())
    .filter(Boolean);
}

// A sentence ends at . ! ? or ; before a capital, but not inside quotes and not after "1." in a list.
function splitLine(line: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote || (quote === "“" && c === "”")) quote = undefined;
      continue;
    }
    if (c === '"' || c === "“" || c === "`") {
      quote = c;
      continue;
    }
    if (/[.!?;]/.test(c) && /\s/.test(line[i + 1] ?? "") && /[^\d\s]/.test(line[i - 1] ?? "")) {
      const next = line.slice(i + 1).trimStart();
      if (/^[A-Z"“'‘]/.test(next)) {
        out.push(line.slice(start, i + 1));
        start = i + 1;
      }
    }
  }
  out.push(line.slice(start));
  return out;
}

/** Reads each sentence's keyword, carrying the Then context over And/But lines. */
export function withKeywords(sentences: string[]): Sentence[] {
  let then = false;
  return sentences.map((raw) => {
    const unlisted = raw.replace(LIST_MARKER, "");
    const k = KEYWORD.exec(unlisted);
    const keyword = k ? (k[1]!.toLowerCase() as Sentence["keyword"]) : undefined;
    if (keyword === "given" || keyword === "when") then = false;
    if (keyword === "then") then = true;
    if (!keyword) then = false;
    const text = unlisted.replace(KEYWORD, "").trim();
    return { raw, text, keyword, then };
  });
}
