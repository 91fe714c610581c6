import { envNamesIn } from "../domain/plan/env-refs.js";
import type { TestPlan } from "../domain/plan/model.js";
import { allSteps } from "../domain/plan/model.js";

/** The names a step refers to live in the domain, where a plan is checked before it runs. */
export { envNamesIn };

/**
 * The values a run types that must never be stored, for snapshots to leave out: its secret steps' values
 * and the environment values its steps refer to (`${env:NAME}`), as resolved now.
 */
export function typedSecrets(
  plan: TestPlan | undefined,
  secrets: ReadonlyMap<string, string> | undefined,
  env: Record<string, string | undefined>,
): string[] {
  const values = new Set(secrets?.values() ?? []);
  for (const { step } of plan ? allSteps(plan) : []) {
    for (const name of envNamesIn(step.params)) {
      const value = env[name];
      if (value) values.add(value);
    }
  }
  return [...values];
}
