import type { DriftResult } from "../engine/drift/service.js";

/** Exit code of `drift check` when the drift reaches --fail-on: tests would break, so CI stops here. */
export const EXIT_DRIFT = 3;

export function printDrift(result: DriftResult, write = (s: string) => process.stderr.write(s)) {
  write(
    `${result.page}: ${result.severity}${result.drift_detected ? "" : " (no drift)"}, similarity ${result.similarity.toFixed(4)}\n`,
  );
  if (result.drift_detected) {
    write(`  ${result.description}\n  impact: ${result.impact_assessment}\n`);
    for (const action of result.recommended_actions) write(`  - ${action}\n`);
  }
}
