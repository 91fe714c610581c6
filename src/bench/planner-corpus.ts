import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** One corpus sentence: its source, and the steps a careful reader plans for it (or why none). */
export interface CorpusSentence {
  source: string;
  say: string;
  expected: { action: string; params: Record<string, unknown> }[] | undefined;
  refuse?: string;
}

export const CORPUS_PATH = join(import.meta.dirname, "../../tests/planner/corpus.yaml");

export function loadCorpus(path = CORPUS_PATH): CorpusSentence[] {
  const doc = parse(readFileSync(path, "utf8")) as {
    files: {
      source: string;
      sentences: { say: string; do?: Record<string, Record<string, unknown>>[]; refuse?: string }[];
    }[];
  };
  return doc.files.flatMap((f) =>
    f.sentences.map((s) => ({
      source: f.source,
      say: s.say,
      refuse: s.refuse,
      expected: s.do?.map((d) => {
        const [action, params] = Object.entries(d)[0]!;
        return { action, params: params ?? {} };
      }),
    })),
  );
}

/** JSON with sorted keys: two plans are the same when this is. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}
