import { isMap, isSeq, LineCounter, parseDocument, type YAMLError } from "yaml";
import type { z } from "zod";
import { stepNumber, wordIssues } from "./issue-words.js";
import { type TestPlan, TestPlanInput, type TestStep, TestStepInput } from "./model.js";
import { normalizePlan, normalizeStep } from "./normalize.js";

export interface PlanIssue {
  path: string;
  message: string;
  line?: number;
  column?: number;
  /** The step's number in run order, when the issue is in a step. */
  step?: number;
  /** For a YAML syntax error: the lines around it, with a caret under the place. */
  snippet?: string;
}

/** Where an issue is, for people: "step 2 (test_steps[1].params, line 8)", "line 6, column 3". */
function placeOf(issue: PlanIssue): string {
  const line = issue.line
    ? `line ${issue.line}${issue.column && !issue.path ? `, column ${issue.column}` : ""}`
    : "";
  const detail = [issue.path, line].filter(Boolean).join(", ");
  if (issue.step) return `step ${issue.step} (${detail})`;
  if (!issue.path) return line || "(plan)";
  return line ? `${issue.path} (${line})` : issue.path;
}

export class PlanValidationError extends Error {
  override readonly name = "PlanValidationError";
  constructor(
    readonly source: string,
    readonly issues: PlanIssue[],
  ) {
    super(
      `invalid test plan ${source}:\n${issues
        .map(
          (i) =>
            `  - ${placeOf(i)}: ${i.message}${i.snippet ? `\n${i.snippet.replace(/^/gm, "      ")}` : ""}`,
        )
        .join("\n")}`,
    );
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    "",
  );
}

/** Zod's union errors hide the useful part; take the branch that got furthest. */
function flatten(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = [];
  for (const issue of issues) {
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const best = [...issue.errors].sort((a, b) => (b[0]?.path.length ?? 0) - (a[0]?.path.length ?? 0))[0]!;
      if (best.length > 0 && issue.errors.every((e) => e.length > 0)) {
        out.push(...flatten(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }))));
        continue;
      }
    }
    out.push(issue);
  }
  return out;
}

/**
 * Validates plan data, listing every bad field; `locate` adds line numbers where the data came from a file.
 */
export function validatePlan(
  data: unknown,
  source = "plan",
  locate?: (path: readonly PropertyKey[]) => { line: number; column: number } | undefined,
): TestPlan {
  const parsed = TestPlanInput.safeParse(data);
  if (!parsed.success) {
    const issues = wordIssues(flatten(parsed.error.issues), TestPlanInput, data).map((issue) => ({
      path: pathText(issue.path),
      message: issue.message,
      ...(locate?.(issue.path) ?? {}),
      ...(stepNumber(data, issue.path) ? { step: stepNumber(data, issue.path) } : {}),
    }));
    // In the file's order, as its author reads it.
    issues.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
    throw new PlanValidationError(source, issues);
  }
  return normalizePlan(parsed.data);
}

/**
 * Validates one step given on its own (an agent's next step), listing every bad field; its id is made unique
 * among `used`, which it joins.
 */
export function validateStep(data: unknown, used: Set<string>, source = "step"): TestStep {
  const parsed = TestStepInput.safeParse(data);
  if (!parsed.success) {
    const issues = wordIssues(flatten(parsed.error.issues), TestStepInput, data).map((issue) => ({
      path: pathText(issue.path),
      message: issue.message,
    }));
    throw new PlanValidationError(source, issues);
  }
  return normalizeStep(parsed.data, used);
}

/** Parses a plan file's text (YAML, or JSON, which YAML also reads) into a validated plan. */
export function parsePlan(text: string, source = "plan"): TestPlan {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) throw new PlanValidationError(source, syntaxIssues(doc.errors));
  const locate = (path: readonly PropertyKey[]) => {
    // The deepest node that exists along the path: a missing key points at its parent.
    let node: unknown = doc.contents;
    let found = node;
    for (const key of path) {
      if (isMap(node)) node = node.get(key as string, true);
      else if (isSeq(node)) node = node.get(key as number, true);
      else break;
      if (!node) break;
      found = node;
    }
    const range = (found as { range?: [number, number, number] } | undefined)?.range;
    if (!range) return undefined;
    const pos = lineCounter.linePos(range[0]);
    return { line: pos.line, column: pos.col };
  };
  let data: unknown;
  try {
    // Aliases that expand past this many nodes are a billion-laughs bomb, not a plan.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // yaml throws a bare ReferenceError for an unresolved alias and for alias bombs.
    throw new PlanValidationError(source, [{ path: "", message: (error as Error).message }]);
  }
  return validatePlan(data, source, locate);
}

/**
 * YAML syntax errors, once each (one per line: the rest of a line's errors follow from its first), with
 * the place and the snippet apart: yaml's own message repeats the place and ends in a colon before them.
 */
function syntaxIssues(errors: readonly YAMLError[]): PlanIssue[] {
  const seen = new Set<number>();
  const issues: PlanIssue[] = [];
  for (const e of errors) {
    const pos = e.linePos?.[0];
    if (pos && seen.has(pos.line)) continue;
    if (pos) seen.add(pos.line);
    const [head = "", ...rest] = e.message.split("\n");
    const snippet = rest.join("\n").replace(/^\n+|\s+$/g, "");
    issues.push({
      path: "",
      message: head.replace(/ at line \d+, column \d+:?$/, ""),
      ...(pos ? { line: pos.line, column: pos.col } : {}),
      ...(snippet ? { snippet } : {}),
    });
  }
  return issues;
}
