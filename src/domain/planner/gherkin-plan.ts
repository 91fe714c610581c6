import { type GherkinFeature, parseGherkin } from "../gherkin/parse.js";
import type { TestPlan } from "../plan/model.js";
import { type DraftPlan, type Refused, readSentences } from "./deterministic.js";
import { RequirementsError, refusalText, requirementsPlan } from "./requirements-plan.js";

export interface ScenarioPlan {
  scenario: string;
  plan: TestPlan;
}

/**
 * One plan per scenario of a feature (an outline gives one per example row), each with its own identity
 * ("Feature: Scenario"). A refused sentence in any scenario refuses the whole feature, every refusal listed
 * under its scenario: a feature is run whole or not at all.
 */
export function plansFromGherkin(text: string, url: string, source = "feature"): ScenarioPlan[] {
  const feature: GherkinFeature = parseGherkin(text, source);
  if (feature.scenarios.length === 0) throw new RequirementsError(`${source}: the feature has no scenario`);
  const out: ScenarioPlan[] = [];
  const refusals: { scenario: string; refused: Refused[] }[] = [];
  for (const scenario of feature.scenarios) {
    const draft: DraftPlan = { steps: [], readings: [], refused: [], unparsed: [], order: [] };
    readSentences(
      draft,
      scenario.steps.map((s) => ({ raw: `${s.keyword} ${s.text}`, table: s.table, docString: s.docString })),
    );
    if (draft.refused.length > 0) {
      refusals.push({ scenario: scenario.name, refused: draft.refused });
      continue;
    }
    if (draft.steps.length === 0) {
      refusals.push({
        scenario: scenario.name,
        refused: [
          {
            sentence: `Scenario: ${scenario.name}`,
            understood: [],
            notUnderstood: "",
            reason: "it has no step",
          },
        ],
      });
      continue;
    }
    const requirements = scenario.steps.map((s) => `${s.keyword} ${s.text}`).join("\n");
    const plan = requirementsPlan({ ...draft, description: scenario.name }, requirements, url, {
      origin: { feature: feature.name || source, scenario: scenario.name },
      createdBy: "deterministic-planner",
      sentences: draft.readings.map((r) => r.sentence),
    });
    out.push({
      scenario: scenario.name,
      plan: { ...plan, tags: scenario.tags.map((t) => t.replace(/^@/, "")) },
    });
  }
  if (refusals.length > 0) {
    const text = refusals.map(
      (r) => `Scenario "${r.scenario}": ${refusalText(r.refused).replace(/\nSentence forms[\s\S]*$/, "")}`,
    );
    const forms = refusalText([]).replace(/^[^\n]*\n/, "");
    throw new RequirementsError(
      `${text.join("\n")}\n${forms}`,
      refusals.flatMap((r) => r.refused),
    );
  }
  return out;
}
