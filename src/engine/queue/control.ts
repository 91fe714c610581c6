import type { RunCommands } from "../../commands/run-commands.js";
import { ACTIVE, RunRuleError } from "../../domain/run/rules.js";
import type { RunDetails } from "../../projections/run-report/details.js";
import type { Leases } from "./leases.js";

/** Statuses a run leaves only when something executes it. */
const GOING_ON = ["pending", ...ACTIVE];

/**
 * Resolves with a run's details once it is no longer pending or going on: for a run another worker
 * executes, this process only reads the log.
 */
export async function waitForEnd(
  details: (runId: string) => Promise<RunDetails>,
  runId: string,
  everyMs = 250,
): Promise<RunDetails> {
  for (;;) {
    const state = await details(runId);
    if (!GOING_ON.includes(state.status)) return state;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Stops a run this process does not execute, without touching a run another worker holds: the holder gets
 * the request through the queue and stops after its current step, saving its state. A run still waiting in
 * the queue is taken out of it; one whose worker died leaves the queue resumable from its last snapshot.
 * Undefined when the queue knows nothing of the run (the caller records the stop itself).
 */
export async function stopThroughQueue(
  leases: Leases,
  engine: { commands: RunCommands; details: (runId: string) => Promise<RunDetails> },
  runId: string,
  stop: { reason: string; saveState: boolean; at: string },
): Promise<RunDetails | undefined> {
  const { commands } = engine;
  const details = (id: string) => engine.details(id);
  const holder = await leases.queue.request(runId, {
    kind: "stop",
    reason: stop.reason,
    save_state: stop.saveState,
  });
  if (holder) return waitForEnd(details, runId);
  if (!(await leases.queue.cancel(runId))) return undefined;
  const state = await commands.loadRun(runId);
  if (GOING_ON.includes(state.status)) {
    // A run that never started has nothing to resume; one a dead worker left goes on from its last snapshot.
    const resumable = state.status !== "pending" && state.last_snapshot !== undefined;
    await commands.run(runId, {
      type: "StopRun",
      reason: stop.reason,
      resumable,
      snapshot_hash: resumable ? state.last_snapshot : undefined,
      at: stop.at,
    });
  }
  return details(runId);
}

/** Hands a started run to the workers (see TestEngine.submit). */
export async function submitRun(
  leases: Leases | undefined,
  runId: string,
  hasSecrets: boolean,
  engine: {
    execute: (runId: string) => Promise<RunDetails>;
    details: (runId: string) => Promise<RunDetails>;
  },
): Promise<RunDetails> {
  if (!leases || (leases.executes && hasSecrets)) return engine.execute(runId);
  if (hasSecrets)
    throw new RunRuleError(
      "wrong_status",
      "this server runs no worker, and secrets never leave the process they were given to: give them to the workers as ${env:NAME} values",
    );
  await leases.queue.enqueue(runId);
  return waitForEnd((id) => engine.details(id), runId);
}
