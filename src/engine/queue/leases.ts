import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { RunRuleError } from "../../domain/run/rules.js";
import type { Logger } from "../../ports/logger.js";
import type { Claim, LeaseCommand, RunQueue } from "./run-queue.js";

export interface LeaseSettings {
  queue: RunQueue;
  /** This process's name in the queue; unique per process. */
  worker?: string;
  /** How long a lease holds without renewal: a worker silent this long is taken for dead. */
  ttlMs?: number;
  /** False for an API server without a worker: it queues runs and never executes one. */
  executes?: boolean;
  logger?: Logger;
}

export interface LeaseHandlers {
  /** A request the holder carries out (a stop sent to any replica). */
  command: (command: LeaseCommand) => void;
  /** Another worker took the run over: this process must not touch it again. */
  lost: () => void;
}

/** One run's lease, renewed in the background until it is released. */
export interface HeldLease {
  claim: Claim;
  /** Renews now and hands over a waiting command: a run calls it between steps, so a stop waits one step. */
  check: () => Promise<void>;
  release: () => Promise<void>;
}

export const DEFAULT_LEASE_TTL_MS = 30_000;

/** A worker's name: where it runs, and a part that differs between processes on one host. */
export function workerName(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * The leases this process holds: it claims a run before executing it, renews the lease a few times per TTL,
 * hands the holder the commands other replicas leave, and releases the lease when the run ends.
 */
export class Leases {
  readonly queue: RunQueue;
  readonly worker: string;
  readonly ttlMs: number;
  readonly executes: boolean;
  /** Claims made by the worker loop (claimNext), taken up by the execution that follows. */
  private readonly claimed = new Map<string, Claim>();
  private readonly held = new Set<string>();

  constructor(private readonly settings: LeaseSettings) {
    this.queue = settings.queue;
    this.worker = settings.worker ?? workerName();
    this.ttlMs = settings.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    this.executes = settings.executes ?? true;
  }

  /** Whether this process holds the run's lease. */
  holds(runId: string): boolean {
    return this.held.has(runId) || this.claimed.has(runId);
  }

  /** The next run the queue offers this worker, claimed; undefined when none waits. */
  async next(): Promise<Claim | undefined> {
    const claim = await this.queue.claimNext(this.worker, this.ttlMs);
    if (claim) this.claimed.set(claim.run_id, claim);
    return claim;
  }

  /** Claims a run to execute here; refused (RunRuleError) while another worker's lease on it holds. */
  async claim(runId: string): Promise<Claim> {
    const earlier = this.claimed.get(runId);
    if (earlier) return earlier;
    const claim = await this.queue.claimRun(runId, this.worker, this.ttlMs);
    if (!claim) {
      const entry = await this.queue.entry(runId);
      throw new RunRuleError(
        "wrong_status",
        `run ${runId} is held by worker ${entry?.worker ?? "?"} until ${entry?.lease_until ?? "?"}; send it requests through the API, which passes them on`,
      );
    }
    this.claimed.set(runId, claim);
    return claim;
  }

  /** Starts renewing a claimed run's lease; released by the returned handle, once. */
  hold(runId: string, handlers: LeaseHandlers): HeldLease {
    const claim = this.claimed.get(runId);
    if (!claim) throw new Error(`run ${runId} was not claimed by this worker`);
    this.claimed.delete(runId);
    this.held.add(runId);
    let renewing: Promise<void> = Promise.resolve();
    let stopped = false;
    const renew = async () => {
      const command = await this.queue.renew(runId, this.worker, this.ttlMs);
      if (stopped) return;
      if (command === undefined) {
        stopped = true;
        clearInterval(timer);
        this.held.delete(runId);
        this.settings.logger?.error(
          { runId, worker: this.worker },
          "lease lost: another worker took the run",
        );
        handlers.lost();
      } else if (command) handlers.command(command);
    };
    const next = () => {
      renewing = renewing
        .then(() => (stopped ? undefined : renew()))
        .catch((error) => this.settings.logger?.warn({ runId, err: error }, "could not renew a lease"));
      return renewing;
    };
    // Three renewals per TTL: one slow round trip does not lose the lease.
    const timer = setInterval(next, Math.max(50, Math.floor(this.ttlMs / 3)));
    timer.unref();
    return {
      claim,
      check: next,
      release: async () => {
        if (stopped) return;
        stopped = true;
        clearInterval(timer);
        await renewing;
        this.held.delete(runId);
        await this.queue.release(runId, this.worker);
      },
    };
  }

  /** Gives up a claim that was never executed (the run could not be opened here). */
  async drop(runId: string): Promise<void> {
    if (!this.claimed.delete(runId)) return;
    await this.queue.release(runId, this.worker);
  }
}

/**
 * Records a request that sets a run going again (resume, heal): where this process executes runs, it claims
 * the run first, so that a run another worker holds is refused with nothing recorded; where it does not
 * (an API server without a worker), the run is queued once the request is recorded.
 */
export async function claimThenRecord<T>(
  leases: Leases | undefined,
  runId: string,
  record: () => Promise<T>,
): Promise<T> {
  if (!leases) return record();
  if (!leases.executes) {
    const entry = await leases.queue.entry(runId);
    if (entry?.live) throw new RunRuleError("wrong_status", `run ${runId} is held by worker ${entry.worker}`);
    const recorded = await record();
    await leases.queue.enqueue(runId);
    return recorded;
  }
  await leases.claim(runId);
  try {
    return await record();
  } catch (error) {
    await leases.drop(runId);
    throw error;
  }
}
