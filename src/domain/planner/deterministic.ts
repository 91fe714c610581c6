/**
 * Turns plain imperative or Gherkin-style requirements into plan steps, with no model. Each sentence either
 * reads as steps by the grammar (src/domain/planner/grammar) or is refused with what was understood and
 * what was not: the planner never guesses.
 */
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
}

/** Reads one sentence, its Gherkin keyword included ("Then I am on /cart" is a check). */
export function readSentence(raw: string, then = false): Interpretation {
  const [s] = withKeywords([raw]);
  return interpret(s!.text, then || s!.then);
}

export function planFromRequirements(requirements: string): DraftPlan {
  const plan: DraftPlan = { steps: [], readings: [], refused: [], unparsed: [] };
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
  for (const s of withKeywords(body)) {
    const r = interpret(s.text, s.then);
    if (r.ok) {
      plan.readings.push({ sentence: s.raw, parts: r.parts });
      for (const part of r.parts)
        for (const step of part.steps) plan.steps.push({ ...step, description: part.text });
    } else {
      plan.refused.push({
        sentence: s.raw,
        understood: r.understood,
        notUnderstood: r.notUnderstood,
        reason: r.reason,
      });
      plan.unparsed.push(s.raw);
    }
  }
  return plan;
}
