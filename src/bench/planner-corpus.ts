import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** One corpus sentence: its source, and the steps a careful reader plans for it (or why none). */
export interface CorpusSentence {
  source: string;
  say: string;
  expected: { action: string; params: Record<string, unknown> }[] | undefined;
  refuse?: string;
  /** Collected after the grammar was grown to the rest: how the grammar does on sentences it was not built on. */
  heldOut: boolean;
  /** Collected after the grammar stopped changing, and never used to change it. */
  fresh: boolean;
}

export const CORPUS_PATH = join(import.meta.dirname, "../../tests/planner/corpus.yaml");

type CorpusFile = {
  source: string;
  sentences: { say: string; do?: Record<string, Record<string, unknown>>[]; refuse?: string }[];
};

export function loadCorpus(path = CORPUS_PATH): CorpusSentence[] {
  const doc = parse(readFileSync(path, "utf8")) as {
    files: CorpusFile[];
    held_out?: CorpusFile[];
    fresh?: CorpusFile[];
  };
  const files = [
    ...doc.files.map((f) => ({ f, heldOut: false, fresh: false })),
    ...(doc.held_out ?? []).map((f) => ({ f, heldOut: true, fresh: false })),
    ...(doc.fresh ?? []).map((f) => ({ f, heldOut: false, fresh: true })),
  ];
  return files.flatMap(({ f, heldOut, fresh }) =>
    f.sentences.map((s) => ({
      source: f.source,
      heldOut,
      fresh,
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
