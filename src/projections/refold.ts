import type { EventStore } from "../domain/events/store.js";
import { runStreamId } from "../domain/run/events.js";
import type { SqlExecutor } from "../ports/sql.js";
import { foldRecordedDetails } from "./run-report/details.js";
import { storedRunDetails } from "./run-report/queries.js";

export interface Difference {
  path: string;
  folded: unknown;
  stored: unknown;
}

/** Where two JSON values differ, by path, up to `limit` differences. */
export function differences(
  a: unknown,
  b: unknown,
  path = "$",
  out: Difference[] = [],
  limit = 50,
): Difference[] {
  if (out.length >= limit) return out;
  if (Object.is(a, b)) return out;
  const bothObjects = a !== null && b !== null && typeof a === "object" && typeof b === "object";
  if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) {
    out.push({ path, folded: a, stored: b });
    return out;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const key of keys) {
    const child = Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`;
    differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], child, out, limit);
  }
  return out;
}

/**
 * Re-folds a run from its events and compares the result with the runs read model: equal, or where they
 * differ. The read model is compared at the version it has reached, so a projection that lags is reported
 * as lagging rather than as wrong.
 */
export async function refoldRun(store: EventStore, db: SqlExecutor, runId: string) {
  const stored = await storedRunDetails(db, runId);
  const events = await store.readStream(runStreamId(runId));
  const folded = foldRecordedDetails(events);
  if (!stored) {
    return {
      run_id: runId,
      events: events.length,
      version: folded.version,
      stored_version: null,
      equal: false,
      lagging: true,
      differences: [],
    };
  }
  const atStored = foldRecordedDetails(events.filter((e) => e.streamVersion <= stored.version));
  // Through JSON, as the read model stores it: undefined fields vanish.
  const diffs = differences(JSON.parse(JSON.stringify(atStored)), stored);
  return {
    run_id: runId,
    events: events.length,
    version: folded.version,
    stored_version: stored.version,
    equal: diffs.length === 0 && stored.version === folded.version,
    lagging: stored.version < folded.version,
    differences: diffs,
  };
}
