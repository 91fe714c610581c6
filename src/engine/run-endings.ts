import type { RunDetails } from "../projections/run-report/details.js";
import type { LiveRun, RunServices } from "./live-run.js";
import type { HeldLease, Leases } from "./queue/leases.js";

/** A run being executed here: its steps run one at a time; `done` resolves when it ends. */
export interface ActiveRun {
  run?: LiveRun;
  opened: Promise<LiveRun | undefined>;
  /** Settles once the steps that were pending when the run opened have run. */
  drained: Promise<void>;
  done: Promise<RunDetails>;
  end: () => void;
  finishRequested?: boolean;
  /** Set once the run is being completed, stopped or failed: it ends once, whoever asks first. */
  ending?: boolean;
  started: number;
  lease?: HeldLease;
  /** Another worker took the run over: nothing more is recorded from here. */
  lost?: boolean;
  /** Why the run could not be claimed here (another worker holds it): execute rejects with it. */
  refused?: unknown;
  /** Its browser died under a lease: the run goes back to the queue, resumed, once it has ended here. */
  requeue?: boolean;
}

/** What an execution tells its listeners as a run goes on. */
export interface ProgressEvent {
  runId: string;
  kind: "run_started" | "step_started" | "step_finished" | "run_finished";
  index?: number;
  total?: number;
  stepId?: string;
  description?: string;
  status?: string;
  durationMs?: number;
  error?: string;
  healed?: boolean;
}

/** Captures the page for a stop that saves its state; undefined when the browser cannot give it. */
export async function saveSnapshot(run: LiveRun): Promise<string | undefined> {
  try {
    const snapshot = await run.session.captureState({
      runId: run.runId,
      stepId: "stop",
      executedSteps: run.executed,
      blobs: run.services.blobs,
      // Values typed from secrets or ${env:...} stay out of the stop's snapshot too; a resume types them again.
      secrets: run.secretValues(),
    });
    return await run.services.snapshots.put(snapshot);
  } catch {
    return undefined;
  }
}

/**
 * Records how a run broke off: a dead browser leaves it resumable from its last snapshot; anything else ends
 * it in error. Nothing is recorded for a run that is no longer going on.
 */
export async function recordInterruption(
  services: RunServices,
  runId: string,
  error: unknown,
  duration_ms: number,
): Promise<void> {
  const { commands, clock } = services;
  const message = (error as Error).message;
  const crashed = (error as Error).name === "BrowserCrashedError";
  const at = clock().toISOString();
  const state = await commands.loadRun(runId);
  if (state.status === "running" || state.status === "healing") {
    await commands.run(runId, (s) =>
      crashed
        ? { type: "StopRun", reason: message, resumable: true, snapshot_hash: s.last_snapshot, at }
        : { type: "CompleteRun", duration_ms, error: message, at },
    );
  }
}

/**
 * Whether a run that broke off goes back to the queue: its browser died (not the run), a lease holds it, it has
 * no secret only this process knows, and it has not crashed three times already.
 */
export function crashRequeues(error: unknown, active: ActiveRun): boolean {
  const crashed = (error as Error).name === "BrowserCrashedError";
  return crashed && !!active.lease && active.lease.claim.claims < 3 && active.run?.secrets.size === 0;
}

/** Resumes a run its dead browser left stopped and queues it for a worker with a browser. */
export async function requeueAfterCrash(services: RunServices, leases: Leases, details: RunDetails) {
  const runId = details.run_id!;
  const state = await services.commands.loadRun(runId);
  if (state.status !== "stopped" || !state.stop?.resumable) return;
  const at = services.clock().toISOString();
  await services.commands.run(runId, { type: "ResumeRun", driver: details.driver ?? "playwright", at });
  await leases.queue.enqueue(runId);
}
