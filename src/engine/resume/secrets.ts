import { allSteps, type TestStep } from "../../domain/plan/model.js";
import { MASK } from "../../domain/plan/secrets.js";
import type { RunDetails as RunState } from "../../projections/run-report/details.js";
import { envNamesIn } from "../snapshot-secrets.js";
import { inputStepsByUrl, snapshotBefore } from "./input-steps.js";

/** One problem with the secrets given to a resume: the key it concerns, never the value. */
export interface SecretProblem {
  key: string;
  problem: string;
}

export class ResumeSecretsError extends Error {
  override readonly name = "ResumeSecretsError";
  constructor(
    readonly problems: SecretProblem[],
    readonly kind: "invalid" | "missing",
  ) {
    super(
      kind === "invalid"
        ? `secrets refused: ${problems.map((p) => `${p.key}: ${p.problem}`).join("; ")}`
        : `this run needs secrets to resume: ${problems.map((p) => `${p.key} (${p.problem})`).join("; ")}; give each as NAME=VALUE (--secret, or secrets in the request body)`,
    );
  }
}

/** Values for one resume: secret steps' values by step id, and environment values by name. */
export interface ResumeSecrets {
  steps: Map<string, string>;
  env: Record<string, string>;
}

const MAX_VALUE = 10_000;

const isSecretStep = (step: TestStep) => step.action === "type" && step.params.secret === true;

const envNamesOf = (step: TestStep) => envNamesIn(step.params);

/**
 * Checks the secrets given to a resume, before anything is recorded. A key names a secret step (its
 * step_id: the value it types) or an environment variable the plan refers to (`${env:NAME}`, for this run
 * only); a key that is both serves both. Unknown keys and empty or oversized values are refused. Then every
 * secret the resumed run will type must be at hand: the remaining steps', and those of the input steps on
 * the page it resumes on, which a replay types again. Errors name keys, never values.
 */
export function acceptResumeSecrets(
  state: RunState,
  given: Record<string, string>,
  context: { env: Record<string, string | undefined>; held?: ReadonlyMap<string, string> },
): ResumeSecrets {
  const steps = state.plan ? allSteps(state.plan).map((s) => s.step) : [];
  const secretSteps = new Set(steps.filter(isSecretStep).map((s) => s.step_id));
  const envNames = new Set(steps.flatMap(envNamesOf));
  const invalid: SecretProblem[] = [];
  const accepted: ResumeSecrets = { steps: new Map(), env: {} };
  for (const [key, value] of Object.entries(given)) {
    if (!secretSteps.has(key) && !envNames.has(key)) {
      invalid.push({
        key,
        problem: `not a secret step of this run's plan nor an environment variable it refers to${secretSteps.size + envNames.size > 0 ? `; known: ${[...secretSteps, ...envNames].sort().join(", ")}` : ""}`,
      });
    } else if (typeof value !== "string" || value.length === 0)
      invalid.push({ key, problem: "the value is empty" });
    else if (value.length > MAX_VALUE)
      invalid.push({ key, problem: `the value is longer than ${MAX_VALUE} characters` });
    else if (value === MASK)
      invalid.push({ key, problem: "the value is the mask the log shows, not the secret" });
    else {
      if (secretSteps.has(key)) accepted.steps.set(key, value);
      if (envNames.has(key)) accepted.env[key] = value;
    }
  }
  if (invalid.length > 0) throw new ResumeSecretsError(invalid, "invalid");

  // Before the resumption is recorded, a step the dead process had begun still shows as running.
  const unfinished = (status: string) => status === "pending" || status === "running";
  const next = state.steps.find((s) => unfinished(s.status));
  if (!next || !state.plan) return accepted;
  const from = snapshotBefore(state, next.index);
  const onPage = next.index > 0 && from ? inputStepsByUrl(state, from.url, next.index) : [];
  const needed = [
    ...onPage,
    ...state.steps.filter((s) => s.index >= next.index && unfinished(s.status)).map((s) => s.index),
  ]
    .map((i) => steps[i])
    .filter((s): s is TestStep => s !== undefined);
  const missing = new Map<string, string>();
  for (const step of needed) {
    if (isSecretStep(step) && !accepted.steps.has(step.step_id) && !context.held?.has(step.step_id))
      missing.set(step.step_id, "a secret step");
    for (const name of envNamesOf(step))
      if (accepted.env[name] === undefined && context.env[name] === undefined)
        missing.set(name, "an environment variable");
  }
  if (missing.size > 0)
    throw new ResumeSecretsError(
      [...missing].map(([key, problem]) => ({ key, problem })),
      "missing",
    );
  return accepted;
}
