import { type DriftSeverity, SEVERITIES } from "../../domain/drift/classify.js";
import type { SqlExecutor } from "../../ports/sql.js";
import { listBaselines } from "../../projections/visual-baselines.js";
import type { DriftResult, DriftService } from "./service.js";

export interface PreflightResult {
  checked: { page: string; url: string; result: DriftResult }[];
  failed: { page: string; url: string; error: string }[];
  worst: DriftSeverity;
}

/** A baseline's URL moved onto the application under test: same path and query, the run's origin. */
export function rebase(baselineUrl: string, applicationUrl: string): string {
  const from = new URL(baselineUrl);
  const to = new URL(applicationUrl);
  return new URL(`${from.pathname}${from.search}${from.hash}`, to.origin).toString();
}

export const atLeast = (severity: DriftSeverity, floor: DriftSeverity) =>
  SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(floor);

/**
 * Checks every approved baseline of a version against the application before a run starts, so drift is
 * reported before the tests meet it. Each check is recorded on its baseline's stream.
 */
export async function checkDriftBeforeRun(
  drift: DriftService,
  db: SqlExecutor,
  options: { baselineVersion: string; applicationUrl: string },
): Promise<PreflightResult> {
  const baselines = await listBaselines(db, { version: options.baselineVersion, status: "approved" });
  const result: PreflightResult = { checked: [], failed: [], worst: "none" };
  for (const b of baselines) {
    const url = rebase(b.url, options.applicationUrl);
    try {
      const checked = await drift.check({ url, page: b.page_identifier, version: b.application_version });
      result.checked.push({ page: b.page_identifier, url, result: checked });
      if (atLeast(checked.severity, result.worst)) result.worst = checked.severity;
    } catch (error) {
      result.failed.push({ page: b.page_identifier, url, error: (error as Error).message });
    }
  }
  return result;
}
