import type { TestPlan } from "../domain/plan/model.js";
import { allSteps } from "../domain/plan/model.js";
import { envRefs } from "../domain/plan/secrets.js";

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

/** The `${env:NAME}` names anywhere in a step's parameters (a fill_form's fields included). */
export function envNamesIn(value: unknown): string[] {
  if (typeof value === "string") return envRefs(value);
  if (Array.isArray(value)) return value.flatMap(envNamesIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(envNamesIn);
  return [];
}
