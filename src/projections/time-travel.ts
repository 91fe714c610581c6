import type { EventStore } from "../domain/events/store.js";
import { runStreamId } from "../domain/run/events.js";
import { foldRecordedRun, type RunState } from "../domain/run/state.js";

export type PointInRun = { version: number } | { time: Date };

/**
 * A run as it stood at a stream version or a moment: its events up to that point, folded again. The state
 * carries the current step and the snapshots taken so far; the last of them is the page at that point.
 */
export async function runStateAt(store: EventStore, runId: string, at: PointInRun): Promise<RunState> {
  const events = await store.readStream(
    runStreamId(runId),
    "version" in at ? { toVersion: at.version } : { toTime: at.time },
  );
  return foldRecordedRun(events);
}
