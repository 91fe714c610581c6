import type { SqlExecutor } from "../adapters/sql/client.js";
import type { EventStore } from "../domain/events/store.js";
import { runStreamId } from "../domain/run/events.js";
import { foldRecordedRun } from "../domain/run/state.js";

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
  const { rows } = await db.query<{ state: unknown; stream_version: string | number }>(
    "SELECT state, stream_version FROM td_runs WHERE run_id = $1",
    [runId],
  );
  const events = await store.readStream(runStreamId(runId));
  const folded = foldRecordedRun(events);
  const row = rows[0];
  if (!row) {
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
  const storedVersion = Number(row.stream_version);
  const atStored = foldRecordedRun(events.filter((e) => e.streamVersion <= storedVersion));
  // Through JSON, as the read model stores it: undefined fields vanish, dates become strings.
  const diffs = differences(JSON.parse(JSON.stringify(atStored)), row.state);
  return {
    run_id: runId,
    events: events.length,
    version: folded.version,
    stored_version: storedVersion,
    equal: diffs.length === 0 && storedVersion === folded.version,
    lagging: storedVersion < folded.version,
    differences: diffs,
  };
}
