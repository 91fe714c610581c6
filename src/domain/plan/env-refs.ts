import { allSteps, type TestPlan } from "./model.js";
import { envRefs, MissingSecretError } from "./secrets.js";

/** The `${env:NAME}` names anywhere in a step's parameters (a fill_form's fields included). */
export function envNamesIn(value: unknown): string[] {
  if (typeof value === "string") return envRefs(value);
  if (Array.isArray(value)) return value.flatMap(envNamesIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(envNamesIn);
  return [];
}

/** Each step (numbered in run order) that refers to a variable `env` lacks, with the variable. */
export function unsetEnvRefs(
  plan: TestPlan,
  env: Record<string, string | undefined>,
): { step: number; step_id: string; name: string }[] {
  return allSteps(plan).flatMap(({ step }, i) =>
    [...new Set(envNamesIn(step.params))]
      .filter((name) => env[name] === undefined)
      .map((name) => ({ step: i + 1, step_id: step.step_id, name })),
  );
}

/**
 * Refuses a plan whose steps refer to variables that are not set, before it runs: found mid-run, the step
 * would fail, be retried and fail the run, with the steps before it done for nothing.
 */
export function requireEnv(plan: TestPlan, env: Record<string, string | undefined>): void {
  const unset = unsetEnvRefs(plan, env);
  if (unset.length === 0) return;
  throw new MissingSecretError(
    unset
      .map((u) => `step ${u.step} (${u.step_id}) uses \${env:${u.name}}, but ${u.name} is not set`)
      .concat(`set ${[...new Set(unset.map((u) => u.name))].join(", ")} in the environment; nothing ran`)
      .join("\n"),
  );
}
