import type { RunCommands } from "../../commands/run-commands.js";
import { ACTIVE } from "../../domain/run/rules.js";
import type { Logger } from "../../ports/logger.js";
import type { RunDetails } from "../../projections/run-report/details.js";
import { ResumeSecretsError } from "../resume/secrets.js";
import type { Leases } from "./leases.js";
import type { Claim } from "./run-queue.js";

/** What a worker needs of the engine: to execute and resume runs, and to record on them. */
export interface WorkerEngine {
  commands: RunCommands;
  execute: (runId: string) => Promise<RunDetails>;
  beginResume: (runId: string) => Promise<{ done: Promise<RunDetails> }>;
  stop: (runId: string, options: { reason: string; saveState: boolean }) => Promise<RunDetails>;
}

export interface WorkerOptions {
  engine: WorkerEngine;
  leases: Leases;
  /** Runs at once: one per browser session this process may open. */
  slots: number;
  /** How often an idle worker asks the queue for work. */
  pollMs?: number;
  clock?: () => Date;
  logger?: Logger;
  /** Told of each run this worker carried to its end (or handed back): its details, and the claim. */
  ended?: (details: RunDetails | undefined, claim: Claim) => void;
}

/**
 * Claims runs from the queue while it has a free slot and executes them, each under its lease. A run whose
 * previous worker's lease ran out is taken over: the takeover is recorded (RunTakenOver), then the run is
 * resumed from its last snapshot.
 */
export class Worker {
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** Claims this worker made, in order, for whoever watches (tests, the scale bench). */
  readonly claims: Claim[] = [];

  constructor(private readonly options: WorkerOptions) {}

  get name(): string {
    return this.options.leases.worker;
  }

  start(): this {
    this.loop ??= this.run();
    return this;
  }

  /** Stops claiming and waits for the loop; runs under way go on until the engine stops them. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /**
   * A graceful exit (SIGTERM, a scale-down): stops claiming, stops each run after its current step with its
   * state saved, and puts it back in the queue, resumed, for another worker to go on from that snapshot.
   */
  async handOff(): Promise<void> {
    await this.stop();
    const { engine, leases } = this.options;
    const at = (this.options.clock?.() ?? new Date()).toISOString();
    await Promise.all(
      [...this.running.keys()].map(async (id) => {
        const stopped = await engine.stop(id, { reason: "its worker shut down: handed on", saveState: true });
        if (stopped.status !== "stopped" || !stopped.stop?.resumable) return;
        await engine.commands.run(id, { type: "ResumeRun", driver: stopped.driver ?? "playwright", at });
        await leases.queue.enqueue(id);
      }),
    );
  }

  /** How many runs this worker is executing. */
  get busy(): number {
    return this.running.size;
  }

  /** Settles once the runs this worker took have ended. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private async run() {
    const { leases, slots, logger } = this.options;
    while (!this.stopped) {
      try {
        while (!this.stopped && this.running.size < slots) {
          const claim = await leases.next();
          if (!claim) break;
          this.take(claim);
        }
      } catch (error) {
        logger?.warn({ err: error }, "could not claim from the run queue");
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs ?? 1000);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private take(claim: Claim) {
    this.claims.push(claim);
    const id = claim.run_id;
    const carried = this.carry(claim)
      .then((details) => this.options.ended?.(details, claim))
      .catch((error) => this.options.logger?.error({ runId: id, err: error }, "a claimed run failed"))
      .finally(() => {
        this.running.delete(id);
        this.wake?.();
      });
    this.running.set(id, carried);
  }

  private async carry(claim: Claim): Promise<RunDetails | undefined> {
    const { engine, leases, logger } = this.options;
    const id = claim.run_id;
    const state = await engine.commands.loadRun(id);
    const at = () => (this.options.clock?.() ?? new Date()).toISOString();
    if (claim.previous_worker && ACTIVE.includes(state.status)) {
      logger?.warn({ runId: id, from: claim.previous_worker, to: this.name }, "taking over a run");
      await engine.commands.run(id, {
        type: "TakeOverRun",
        worker: this.name,
        previous_worker: claim.previous_worker,
        lease_expired_at: claim.lease_expired_at,
        at: at(),
      });
      try {
        return await (await engine.beginResume(id)).done;
      } catch (error) {
        if (!(error instanceof ResumeSecretsError)) throw error;
        // The secrets lived in the dead worker's memory: the run waits, resumable, for someone to give them.
        await engine.commands.run(id, (s) => ({
          type: "StopRun",
          reason: `taken over, but ${error.message}`,
          resumable: true,
          snapshot_hash: s.last_snapshot,
          at: at(),
        }));
        await leases.drop(id);
        return undefined;
      }
    }
    if (state.status === "pending" || ACTIVE.includes(state.status)) return engine.execute(id);
    // Stopped or finished while it waited: nothing to do.
    await leases.drop(id);
    return undefined;
  }
}
