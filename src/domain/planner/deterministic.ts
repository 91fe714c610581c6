/**
 * Turns plain imperative or Gherkin-style requirements into plan steps, with no model. Each sentence either
 * reads as steps by the grammar (src/domain/planner/grammar) or is refused with what was understood and
 * what was not: the planner never guesses.
 */

import { secretField } from "./grammar/common.js";
import { type Interpretation, interpret, type Understood } from "./interpret.js";
import { sentencesOf, withKeywords } from "./sentences.js";

export { sentencesOf };

export interface DraftStep {
  action: string;
  params: Record<string, unknown>;
  /** The sentence (or the part of a compound sentence) the step comes from. */
  description: string;
}

/** How one sentence was read. */
export interface SentenceReading {
  sentence: string;
  parts: Understood[];
}

export interface Refused {
  sentence: string;
  understood: Understood[];
  notUnderstood: string;
  reason?: string;
}

export interface DraftPlan {
  name?: string;
  description?: string;
  steps: DraftStep[];
  readings: SentenceReading[];
  refused: Refused[];
  /** The refused sentences as written. */
  unparsed: string[];
  /** Every sentence in the order written: read (its parts) or refused. */
  order: ({ sentence: string; asCheck: boolean } & ({ parts: Understood[] } | { refused: Refused }))[];
}

/** Reads one sentence, its Gherkin keyword included ("Then I am on /cart" is a check). */
export function readSentence(raw: string, then = false): Interpretation {
  const [s] = withKeywords([raw]);
  return interpret(s!.text, then || s!.then);
}

export function planFromRequirements(requirements: string): DraftPlan {
  const plan: DraftPlan = { steps: [], readings: [], refused: [], unparsed: [], order: [] };
  const lines = sentencesOf(requirements).filter((s) => !s.startsWith("#"));
  const body: string[] = [];
  for (const raw of lines) {
    const feature = /^feature:\s*(.+)$/i.exec(raw);
    if (feature) {
      plan.name = feature[1]!.trim();
      continue;
    }
    const scenario = /^(?:scenario(?: outline)?|background|example|rule):\s*(.*)$/i.exec(raw);
    if (scenario) {
      if (scenario[1]) plan.description = scenario[1].trim();
      continue;
    }
    body.push(raw);
  }
  readSentences(
    plan,
    body.map((raw) => ({ raw })),
  );
  return plan;
}

/** A sentence with what Gherkin attaches to it: a data table. */
export interface SentenceInput {
  raw: string;
  table?: string[][];
  docString?: string;
}

const FILL_TABLE =
  /^(?:(?:i|the user|user)\s+)?(?:fill(?:s)? in|fill(?:s)?|enter(?:s)?|type(?:s)?|complete(?:s)?)(?: (?:in|out))?(?: the following| these(?: values| details)?| (?:the )?(?:[\w-]+ )?form with(?: the following)?(?: values| details| data)?)?:?$/i;

/** Reads sentences into the plan, the Then context carried across them. */
export function readSentences(plan: DraftPlan, inputs: SentenceInput[]): void {
  const keyed = withKeywords(inputs.map((i) => i.raw));
  keyed.forEach((s, k) => {
    const input = inputs[k]!;
    if (input.table || input.docString !== undefined) {
      const table = input.table;
      // "When I fill in the following:" with a two-column table: each row is a field and its value.
      if (table && FILL_TABLE.test(s.text) && table.every((row) => row.length === 2)) {
        const parts = table.map(([field, value]) => ({
          text: `${field}: ${value}`,
          steps: [
            {
              action: "type",
              params: {
                target: field!,
                text: value!,
                ...(secretField(field!) && !/\$\{env:/.test(value!) ? { secret: true } : {}),
              },
            },
          ],
        }));
        plan.readings.push({ sentence: s.raw, parts });
        plan.order.push({ sentence: s.raw, asCheck: s.then, parts });
        for (const part of parts)
          for (const step of part.steps)
            plan.steps.push({ ...step, description: `Fill in ${part.steps[0]!.params.target}` });
        return;
      }
      const reason = table
        ? "a step with a data table is read only as fields to fill in (When I fill in the following:)"
        : "a step with a doc string is not a form the planner reads";
      const refused = { sentence: s.raw, understood: [], notUnderstood: s.raw, reason };
      plan.refused.push(refused);
      plan.order.push({ sentence: s.raw, asCheck: s.then, refused });
      plan.unparsed.push(s.raw);
      return;
    }
    const r = interpret(s.text, s.then);
    if (r.ok) {
      plan.readings.push({ sentence: s.raw, parts: r.parts });
      plan.order.push({ sentence: s.raw, asCheck: s.then, parts: r.parts });
      for (const part of r.parts)
        for (const step of part.steps) plan.steps.push({ ...step, description: part.text });
    } else {
      const refused = {
        sentence: s.raw,
        understood: r.understood,
        notUnderstood: r.notUnderstood,
        reason: r.reason,
      };
      plan.refused.push(refused);
      plan.order.push({ sentence: s.raw, asCheck: s.then, refused });
      plan.unparsed.push(s.raw);
    }
  });
}
