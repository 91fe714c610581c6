import { performance } from "node:perf_hooks";
import { RunRuleError } from "../domain/run/decide.js";
import { nextPendingStep } from "../domain/run/state.js";
import type { SessionPool } from "../ports/browser.js";
import type { Logger } from "../ports/logger.js";
import type { RunDetails } from "../projections/run-report/details.js";
import { type ExecutedStep, executeStep } from "./execute-step.js";
import { commitLearned } from "./learning.js";
import type { LiveRun, RunServices } from "./live-run.js";
import { type OpenOptions, openRun } from "./open-run.js";
import type { Leases } from "./queue/leases.js";
import {
  type ActiveRun as Active,
  crashRequeues,
  type ProgressEvent,
  recordInterruption,
  requeueAfterCrash,
  saveSnapshot,
} from "./run-endings.js";

export type { ProgressEvent } from "./run-endings.js";

export interface ExecutionOptions {
  pool: SessionPool;
  services: RunServices;
  logger?: Logger;
  details: (runId: string) => Promise<RunDetails>;
  /** How to open a run: its session's hosts, secrets, baselines and what else it needs. */
  openOptions: (runId: string) => Promise<Omit<OpenOptions, "pool" | "services">>;
  /** Called once a run has ended, whichever way. */
  ended?: (runId: string) => void;
  /** Runs as leased work: a run is claimed before it opens, its lease renewed while it runs, released at its end. */
  leases?: Leases;
}

/**
 * The runs this process executes: each opened once, its pending steps run in order through `executeStep`,
 * then completed, stopped or failed, and its browser session closed. An agent's run stays open between its
 * steps until it is finished or stopped.
 */
export class Executions {
  private readonly active = new Map<string, Active>();
  private readonly listeners = new Set<(event: ProgressEvent) => void>();

  constructor(private readonly options: ExecutionOptions) {}

  onProgress(listener: (event: ProgressEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ProgressEvent) {
    for (const listener of this.listeners) listener(event);
  }

  has(runId: string): boolean {
    return this.active.has(runId);
  }

  ids(): string[] {
    return [...this.active.keys()];
  }

  run(runId: string): LiveRun | undefined {
    return this.active.get(runId)?.run;
  }

  /** Executes a run (once, whoever asks); resolves with its details when it has ended. */
  execute(runId: string, options: { signal?: AbortSignal } = {}): Promise<RunDetails> {
    const existing = this.active.get(runId);
    if (existing) return existing.done;
    let end!: () => void;
    const ended = new Promise<void>((resolve) => {
      end = resolve;
    });
    const active: Active = {
      opened: Promise.resolve(undefined),
      drained: Promise.resolve(),
      done: ended.then(() => {
        if (active.refused) throw active.refused;
        return this.options.details(runId);
      }),
      end,
      started: performance.now(),
    };
    this.active.set(runId, active);
    const opened = this.lease(runId, active)
      .then(() => this.options.openOptions(runId))
      .then(async (open) =>
        openRun(await this.options.details(runId), {
          ...open,
          pool: this.options.pool,
          services: this.options.services,
        }),
      );
    active.opened = opened;
    active.drained = opened.then(
      async (run) => {
        active.run = run;
        if (!run || active.lost) return this.close(runId, active);
        this.emit({ runId, kind: "run_started", total: run.state.steps.length });
        options.signal?.addEventListener(
          "abort",
          () => void this.stop(runId, { reason: "cancelled", saveState: true }),
        );
        await this.drain(active);
      },
      (error) => {
        if (active.refused) return this.close(runId, active);
        this.options.logger?.error({ runId, err: error }, "run could not start");
        return this.fail(runId, active, error);
      },
    );
    return active.done;
  }

  /** Claims the run's lease (when runs are leased) and keeps it while the run goes on. */
  private async lease(runId: string, active: Active): Promise<void> {
    const leases = this.options.leases;
    if (!leases) return;
    await leases.claim(runId).catch((error: unknown) => {
      active.refused = error;
      active.lost = true;
      throw error;
    });
    active.lease = leases.hold(runId, {
      command: (stop) => void this.stop(runId, { reason: stop.reason, saveState: stop.save_state }),
      lost: () => {
        active.lost = true;
        if (active.run) active.run.stopRequested ??= { reason: "lease lost", saveState: false };
        // Breaks off the step in flight: its browser is gone, and the new holder has its own.
        void active.run?.session.close().catch(() => {});
      },
    });
  }

  /** The run an agent drives in this process, once the steps it opened with have run. */
  async live(runId: string): Promise<LiveRun> {
    const active = this.active.get(runId);
    await active?.drained;
    if (!active?.run || active.ending)
      throw new RunRuleError(
        "wrong_status",
        `run ${runId} is not executing in this process; start an interactive run`,
      );
    return active.run;
  }

  /** Settles once the steps a run opened with have run (an interactive run's first page is open). */
  async opened(runId: string): Promise<void> {
    await this.active.get(runId)?.drained;
  }

  /** One step, with progress for whoever listens. */
  async step(run: LiveRun, index: number): Promise<ExecutedStep> {
    const step = run.state.steps[index]!;
    const total = run.state.steps.length;
    const { runId } = run;
    this.emit({
      runId,
      kind: "step_started",
      index,
      total,
      stepId: step.step_id,
      description: step.description,
    });
    const done = await executeStep(run, index);
    const { outcome } = done.last;
    this.emit({
      runId,
      kind: "step_finished",
      index,
      total,
      stepId: step.step_id,
      description: step.description,
      status: done.step.status,
      durationMs: outcome.duration_ms,
      error: outcome.passed ? undefined : outcome.error,
      healed: done.step.status === "healed",
    });
    return done;
  }

  /** Runs the pending steps in order; a critical failure skips the rest (not teardown), unless an agent drives. */
  private async drain(active: Active) {
    const run = active.run!;
    try {
      await run.serially(async () => {
        for (;;) {
          // A stop another replica left in the queue takes effect here, after the step that was running.
          await active.lease?.check();
          if (run.stopRequested) break;
          const next = nextPendingStep(run.state);
          if (!next) break;
          const { step } = await this.step(run, next.index);
          if (
            step.status === "failed" &&
            step.critical &&
            step.phase !== "teardown" &&
            !run.state.interactive
          )
            await run.record({ type: "SkipRemaining", reason: `critical step ${step.step_id} failed` });
        }
      });
      if (run.stopRequested) return await this.stopNow(active, run.stopRequested);
      if (!run.state.interactive || active.finishRequested) await this.complete(active);
    } catch (error) {
      await this.fail(run.runId, active, error);
    }
  }

  /** Ends an interactive run once its current step is done. */
  finish(runId: string): Promise<RunDetails> | undefined {
    const active = this.active.get(runId);
    if (!active) return undefined;
    active.finishRequested = true;
    void active.opened
      .then((run) => run?.serially(async () => this.complete(active)))
      .catch((error) => this.fail(runId, active, error));
    return active.done;
  }

  /** Stops a run after its current step (saving its state if asked); undefined if it is not executed here. */
  stop(runId: string, stop: { reason: string; saveState: boolean }): Promise<RunDetails> | undefined {
    const active = this.active.get(runId);
    if (!active) return undefined;
    void active.opened.then((run) => {
      if (!run || run.stopRequested) return;
      run.stopRequested = stop;
      // An interactive run has no loop to notice: it stops once its current step is done.
      if (run.state.interactive)
        void run
          .serially(async () => this.stopNow(active, stop))
          .catch((error) => this.fail(runId, active, error));
    });
    return active.done;
  }

  private async complete(active: Active) {
    if (active.lost) return this.close(active.run!.runId, active);
    if (active.ending) return;
    active.ending = true;
    const run = active.run!;
    await run.record({ type: "CompleteRun", duration_ms: Math.round(performance.now() - active.started) });
    await commitLearned(run.services.commands, await this.options.details(run.runId), run.learned);
    await this.close(run.runId, active);
  }

  private async stopNow(active: Active, stop: { reason: string; saveState: boolean }) {
    if (active.lost) return this.close(active.run!.runId, active);
    if (active.ending) return;
    active.ending = true;
    const run = active.run!;
    const snapshot = stop.saveState ? await saveSnapshot(run) : undefined;
    await run.record({
      type: "StopRun",
      reason: stop.reason,
      snapshot_hash: snapshot,
      resumable: stop.saveState,
    });
    await this.close(run.runId, active);
  }

  /** A run that broke off: a dead browser leaves it resumable from its last snapshot; anything else ends it in error. */
  private async fail(runId: string, active: Active, error: unknown) {
    if (active.lost) return this.close(runId, active);
    if (active.ending) return;
    active.ending = true;
    this.options.logger?.error({ runId, err: error }, "run interrupted");
    active.requeue = crashRequeues(error, active);
    await recordInterruption(
      this.options.services,
      runId,
      error,
      Math.round(performance.now() - active.started),
    ).catch((e) => this.options.logger?.error({ runId, err: e }, "could not record the interruption"));
    await this.close(runId, active);
  }

  private async close(runId: string, active: Active) {
    if (this.active.get(runId) !== active) return;
    await active.run?.session.close().catch(() => {});
    await active.lease
      ?.release()
      .catch((error) => this.options.logger?.warn({ runId, err: error }, "could not release a lease"));
    this.active.delete(runId);
    this.options.ended?.(runId);
    const { leases, services, logger } = this.options;
    if (active.requeue && leases)
      await requeueAfterCrash(services, leases, await this.options.details(runId)).catch((e) =>
        logger?.error({ runId, err: e }, "could not queue the run again"),
      );
    const state = await this.options.services.commands.loadRun(runId).catch(() => undefined);
    const durationMs = Math.round(performance.now() - active.started);
    if (!active.refused) this.emit({ runId, kind: "run_finished", status: state?.status, durationMs });
    active.end();
  }
}
