import type { TestPlan } from "../plan/model.js";
import { validatePlan } from "../plan/parse.js";
import { planFromRequirements } from "./deterministic.js";

export class RequirementsError extends Error {
  override readonly name = "RequirementsError";
}

/**
 * A plan from requirements by the sentence rules. Sentences the rules do not understand are refused, listed,
 * rather than guessed: a test that silently skips a requirement is worse than no test.
 */
export function planFromRequirementsText(requirements: string, url: string): TestPlan {
  const draft = planFromRequirements(requirements);
  if (draft.unparsed.length > 0) {
    throw new RequirementsError(
      `these requirements were not understood (no step was guessed for them):\n${draft.unparsed.map((s) => `  - ${s}`).join("\n")}`,
    );
  }
  if (draft.steps.length === 0) throw new RequirementsError("the requirements contain no step");
  return validatePlan(
    {
      name: draft.name ?? "Requirements",
      description: draft.description ?? "",
      requirements,
      application_url: url,
      test_steps: draft.steps,
      created_by: "deterministic-planner",
    },
    "requirements",
  );
}
