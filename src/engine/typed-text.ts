import { resolveText } from "../domain/plan/secrets.js";
import { resolveData } from "../domain/plan/test-data.js";
import type { LiveRun } from "./live-run.js";

/** What a step types for a text: environment values and generated data (seeded by the run) filled in. */
export function typedText(run: LiveRun, stepId: string, raw: string): string {
  return resolveData(resolveText(raw, run.env, `step ${stepId}`), run.dataSeed, stepId);
}
