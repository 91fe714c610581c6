import type { TestPlan } from "../plan/model.js";
import { validatePlan } from "../plan/parse.js";
import { maskSecrets, secretValues } from "../plan/secrets.js";
import { type DraftPlan, type DraftStep, planFromRequirements, type Refused } from "./deterministic.js";
import { APP } from "./grammar/navigation.js";
import { requirementsIdentity } from "./identity.js";
import { knownFormsText } from "./known-forms.js";
import { renderStep } from "./render.js";

export class RequirementsError extends Error {
  override readonly name = "RequirementsError";
  constructor(
    message: string,
    readonly refused: Refused[] = [],
  ) {
    super(message);
  }
}

/** Where requirements come from, when a Gherkin file names them. */
export interface RequirementsOrigin {
  feature?: string;
  scenario?: string;
}

/** How refused sentences are reported: what was understood, what was not, and the forms that are known. */
export function refusalText(refused: Refused[]): string {
  const lines = ["these requirements were not understood (no step was guessed for them):"];
  for (const r of refused) {
    lines.push(`  - ${r.sentence}`);
    for (const u of r.understood)
      lines.push(
        `      understood: "${u.text}" -> ${u.steps.map((s) => renderStep(s.action, s.params)).join("; ")}`,
      );
    if (r.understood.length > 0 || r.notUnderstood !== r.sentence)
      lines.push(`      not understood: "${r.notUnderstood}"`);
    if (r.reason) lines.push(`      why: ${r.reason}`);
  }
  lines.push("Sentence forms the planner knows (quote names that contain 'and'):", knownFormsText());
  return lines.join("\n");
}

/**
 * The steps of a requirements plan as it runs: the application's own URL put in for "the home page", the
 * application opened first when the first step does not open a page, and secret values masked in every
 * description (the step that types a secret keeps it, for the engine to hold in memory only).
 */
export function requirementsSteps(steps: DraftStep[], url: string): DraftStep[] {
  const placed = steps.map((s) =>
    s.action === "navigate" && s.params.url === APP ? { ...s, params: { ...s.params, url } } : s,
  );
  const opened =
    placed[0]?.action === "navigate"
      ? placed
      : [{ action: "navigate", params: { url }, description: "Open the application" }, ...placed];
  const secrets = secretValues(opened);
  return opened.map((s) => ({ ...s, description: maskSecrets(s.description, secrets) }));
}

/** A validated plan from steps planned for requirements, with its own identity. */
export function requirementsPlan(
  draft: Pick<DraftPlan, "steps"> & { name?: string; description?: string },
  requirements: string,
  url: string,
  options: { origin?: RequirementsOrigin; createdBy: string; sentences: string[] },
): TestPlan {
  const steps = requirementsSteps(draft.steps, url);
  const secrets = secretValues(steps);
  const masked = (text: string) => maskSecrets(text, secrets);
  const identity = requirementsIdentity({
    sentences: options.sentences.map(masked),
    applicationUrl: url,
    feature: options.origin?.feature ?? draft.name,
    scenario: options.origin?.scenario ?? draft.description,
  });
  return validatePlan(
    {
      plan_id: identity.plan_id,
      name: identity.name,
      description: masked(draft.description ?? ""),
      requirements: masked(requirements),
      application_url: url,
      test_steps: steps,
      created_by: options.createdBy,
    },
    "requirements",
  );
}

/**
 * A plan from requirements by the sentence rules. Sentences the rules do not understand are refused, listed
 * with what was understood of them, rather than guessed: a test that silently skips a requirement is worse
 * than no test.
 */
export function planFromRequirementsText(
  requirements: string,
  url: string,
  origin?: RequirementsOrigin,
): TestPlan {
  const draft = planFromRequirements(requirements);
  if (draft.refused.length > 0) throw new RequirementsError(refusalText(draft.refused), draft.refused);
  if (draft.steps.length === 0) throw new RequirementsError("the requirements contain no step");
  return requirementsPlan(draft, requirements, url, {
    origin,
    createdBy: "deterministic-planner",
    sentences: draft.readings.map((r) => r.sentence),
  });
}
