import type { z } from "zod";
import { closestWords } from "../spelling.js";

/**
 * Plan issues in words a plan's author acts on: an unknown key with the key that was meant ("unknown key
 * taget; did you mean target?") instead of the two errors the schema reports for it (the unknown key, and
 * the required key it lacks), and a step named by its number as `testdriver plan` and progress lines count.
 */

type Issue = z.core.$ZodIssue;
type Def = { type: string; [k: string]: unknown };
const defOf = (schema: unknown) => (schema as { _zod: { def: Def } })._zod.def;

/** The object shapes a schema may take for this value: wrappers unwrapped, a union's fitting branches. */
function shapes(schema: unknown, value: unknown): Record<string, unknown>[] {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      return [def.shape as Record<string, unknown>];
    case "optional":
    case "default":
    case "nullable":
    case "prefault":
      return shapes(def.innerType, value);
    case "pipe":
      return shapes(def.in, value);
    case "union": {
      const options = def.options as unknown[];
      const key = def.discriminator as string | undefined;
      const wanted =
        key && value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
      const all = options.flatMap((o) => shapes(o, value));
      const fitting = all.filter((s) => {
        const literal = s[key ?? ""];
        return wanted === undefined || !literal || (defOf(literal).values as unknown[])?.includes(wanted);
      });
      return fitting.length > 0 ? fitting : all;
    }
    default:
      return [];
  }
}

/** The elements a schema's arrays hold, wrappers unwrapped. */
function elements(schema: unknown): unknown[] {
  const def = defOf(schema);
  if (def.type === "array") return [def.element];
  if (["optional", "default", "nullable", "prefault"].includes(def.type)) return elements(def.innerType);
  if (def.type === "pipe") return elements(def.in);
  return [];
}

/** The keys an object at `path` of the data may have, by the schema (a step's params by its action). */
export function keysAt(schema: unknown, data: unknown, path: readonly PropertyKey[]): string[] {
  let schemas = [schema];
  let value = data;
  for (const key of path) {
    schemas = schemas.flatMap((s) =>
      typeof key === "number"
        ? elements(s)
        : shapes(s, value).flatMap((shape) => (shape[key as string] ? [shape[key as string]] : [])),
    );
    value = value && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return [...new Set(schemas.flatMap((s) => shapes(s, value).flatMap(Object.keys)))];
}

const same = (a: readonly PropertyKey[], b: readonly PropertyKey[]) =>
  a.length === b.length && a.every((k, i) => k === b[i]);
const under = (path: readonly PropertyKey[], prefix: readonly PropertyKey[]) =>
  path.length >= prefix.length && prefix.every((k, i) => k === path[i]);

/** One issue per unknown key, naming the key meant; the issues that key's absence caused are dropped. */
export function wordIssues(issues: readonly Issue[], schema: unknown, data: unknown): Issue[] {
  const out: Issue[] = [];
  const meant: { at: readonly PropertyKey[]; key: string }[] = [];
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const known = keysAt(schema, data, issue.path);
    for (const key of issue.keys) {
      const close = closestWords(key, known);
      for (const k of close) meant.push({ at: issue.path, key: k });
      const hint =
        close.length > 0
          ? `; did you mean ${close.join(" or ")}?`
          : known.length > 0
            ? `; the keys here: ${known.join(", ")}`
            : "";
      out.push({ ...issue, keys: [key], message: `unknown key ${key}${hint}` });
    }
  }
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") continue;
    // Fixing the misspelt key is what fixes these: the key meant is missing, or its object fails a rule.
    if (meant.some((m) => same(issue.path, m.at) || under(issue.path, [...m.at, m.key]))) continue;
    out.push(/received undefined$/.test(issue.message) ? { ...issue, message: "missing (required)" } : issue);
  }
  return out;
}

/** A step's number in run order (setup, test, teardown), as `testdriver plan` and the progress lines count. */
export function stepNumber(data: unknown, path: readonly PropertyKey[]): number | undefined {
  const [phase, index] = path;
  if (typeof index !== "number" || !data || typeof data !== "object") return undefined;
  const plan = data as Record<string, unknown>;
  const length = (key: string) => (Array.isArray(plan[key]) ? (plan[key] as unknown[]).length : 0);
  if (phase === "setup_steps") return index + 1;
  if (phase === "test_steps") return length("setup_steps") + index + 1;
  if (phase === "teardown_steps") return length("setup_steps") + length("test_steps") + index + 1;
  return undefined;
}
