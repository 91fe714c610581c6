import { randomUUID } from "node:crypto";
import { RunCommands } from "../commands/run-commands.js";
import { DEFAULT_THRESHOLDS } from "../domain/healing/score.js";
import type { TestPlan, TestStep } from "../domain/plan/model.js";
import { RunRuleError } from "../domain/run/decide.js";
import type { StepState } from "../domain/run/state.js";
import { WaitLearner } from "../domain/waits.js";
import type { BrowserSession, DriverKind } from "../ports/browser.js";
import type { RunDetails, StepDetails } from "../projections/run-report/details.js";
import { readRunDetails } from "../projections/run-report/queries.js";
import type { EngineOptions } from "./engine-options.js";
import type { ExecutedStep } from "./execute-step.js";
import { Executions, type ProgressEvent } from "./executions.js";
import { learnFromReview } from "./learning.js";
import type { RunServices } from "./live-run.js";
import { stopThroughQueue, submitRun, waitForEnd } from "./queue/control.js";
import { claimThenRecord, type Leases } from "./queue/leases.js";
import { type RequestOptions, requestRun, secretsOf } from "./request.js";
import { acceptResumeSecrets } from "./resume/secrets.js";

export type { EngineOptions } from "./engine-options.js";
export type { ProgressEvent } from "./executions.js";

export interface ResumeOptions {
  driver?: DriverKind;
  /** Secret values by secret step id or by `${env:NAME}` name (see resume/secrets.ts); kept in memory only. */
  secrets?: Record<string, string>;
}
export type { RequestOptions as StartOptions } from "./request.js";

/**
 * Test runs as event streams: requests recorded through the run aggregate's `decide`, and runs executed
 * here, each step on one path (`executeStep`), whether it comes from a plan or from an agent.
 */
export class TestEngine {
  readonly commands: RunCommands;
  readonly waits = new WaitLearner();
  readonly leases?: Leases;
  private readonly services: RunServices;
  private readonly executions: Executions;
  /** What a run needs that the log must not hold, kept in this process until the run ends. */
  private readonly secrets = new Map<string, Map<string, string>>();
  private readonly baselines = new Map<string, { capture?: string; check?: string }>();
  /** Environment values given to one run only (a resume's secrets by variable name), over the process's. */
  private readonly runEnv = new Map<string, Record<string, string>>();
  private seeded?: Promise<void>;

  constructor(private readonly options: EngineOptions) {
    this.commands = new RunCommands(options.store);
    this.leases = options.leases;
    this.services = {
      commands: this.commands,
      blobs: options.blobs,
      snapshots: options.snapshots,
      waits: this.waits,
      thresholds: options.thresholds ?? DEFAULT_THRESHOLDS,
      env: options.env ?? process.env,
      screenshots: options.screenshots ?? "on_failure",
      clock: options.clock ?? (() => new Date()),
      vision: options.vision,
      stepTimeoutMs: options.stepTimeoutMs,
      budgets: options.performanceBudgets,
      gates: options.qualityGates,
    };
    this.executions = new Executions({
      pool: options.pool,
      services: this.services,
      logger: options.logger,
      leases: options.leases,
      details: (runId) => this.details(runId),
      openOptions: (runId) => this.openOptions(runId),
      ended: (runId) => {
        this.secrets.delete(runId);
        this.baselines.delete(runId);
        this.runEnv.delete(runId);
      },
    });
  }

  private now(): string {
    return this.services.clock().toISOString();
  }

  onProgress(listener: (event: ProgressEvent) => void): () => void {
    return this.executions.onProgress(listener);
  }

  isActive(runId: string): boolean {
    return this.executions.has(runId);
  }

  activeSession(runId: string): BrowserSession | undefined {
    return this.executions.run(runId)?.session;
  }

  /** A run's details, folded from its log: always current, and the same on every replica. */
  details(runId: string): Promise<RunDetails> {
    return readRunDetails(this.options.store, runId);
  }

  /** Records the request and the plan (or the planning failure); the run waits to be executed. */
  async start(options: RequestOptions): Promise<string> {
    const runId = options.runId ?? randomUUID();
    const wantsBaselines = options.baselines?.capture || options.baselines?.check;
    if (wantsBaselines && !this.options.drift)
      throw new Error("this engine has no drift service for visual baselines");
    // A run aimed at a host the policy refuses (the metadata service, a host not listed) is refused unrecorded.
    if (options.plan?.application_url) this.options.networkPolicy?.withOrigin(options.plan.application_url);
    const driver = options.driver ?? this.driverFor(options.plan);
    await requestRun(this.commands, runId, options, { at: this.now(), driver });
    const secrets = secretsOf(options.plan, options.secrets);
    if (secrets.size > 0) this.secrets.set(runId, secrets);
    if (wantsBaselines && options.baselines) this.baselines.set(runId, options.baselines);
    return runId;
  }

  private driverFor(plan?: TestPlan): DriverKind {
    return plan && plan.framework !== "auto" ? plan.framework : (this.options.defaultDriver ?? "playwright");
  }

  private async openOptions(runId: string) {
    await this.seedWaits();
    const baselines = this.baselines.get(runId);
    const { drift, qualityGates, knownQualityIssues } = this.options;
    return {
      allowedHosts: this.options.allowedHosts ?? [],
      allowScripts: this.options.allowScripts,
      viewport: this.options.viewport,
      secrets: this.secrets.get(runId) ?? new Map<string, string>(),
      env: this.envOf(runId),
      logger: this.options.logger,
      visual: baselines && drift ? { service: drift, ...baselines, seen: new Set<string>() } : undefined,
      knownAccessibility:
        qualityGates?.accessibility && knownQualityIssues
          ? (id: string) => knownQualityIssues("accessibility", id).catch(() => undefined)
          : undefined,
    };
  }

  private envOf(runId: string): Record<string, string | undefined> {
    const given = this.runEnv.get(runId);
    return given ? { ...this.services.env, ...given } : this.services.env;
  }

  /** Starts the learner from the recorded waits once; a failure to read them leaves it empty. */
  private seedWaits(): Promise<void> {
    this.seeded ??= (async () => {
      for (const o of (await this.options.learnedWaits?.().catch(() => [])) ?? []) this.waits.observe(o);
    })();
    return this.seeded;
  }

  async run(options: RequestOptions, execution: { signal?: AbortSignal } = {}): Promise<RunDetails> {
    return this.execute(await this.start(options), execution);
  }

  /**
   * Executes a run's pending steps, then ends it (passed or failed by its steps). An interactive run stays
   * open for an agent's steps until it is finished or stopped. Resolves with the run's details at its end.
   */
  execute(runId: string, options: { signal?: AbortSignal } = {}): Promise<RunDetails> {
    return this.executions.execute(runId, options);
  }

  /**
   * Hands a started run to the workers: it waits in the queue (`queued`) until one with a free browser claims
   * it. A run given secrets runs here, since they never leave this process. Without leases it runs here.
   */
  submit(runId: string): Promise<RunDetails> {
    return submitRun(this.leases, runId, this.secrets.has(runId), this);
  }

  /**
   * Starts an interactive run and resolves once its browser is open and its first step (opening the
   * application) has finished: from then on, addStep, the session and its page are there.
   */
  async startInteractive(
    options: RequestOptions,
  ): Promise<{ runId: string; first: StepDetails; done: Promise<RunDetails> }> {
    const runId = await this.start({ ...options, interactive: true });
    const done = this.execute(runId);
    await this.executions.opened(runId);
    return { runId, first: (await this.details(runId)).steps[0]!, done };
  }

  /** Gives an interactive run its next step and resolves when the step has finished (after its retries). */
  async addStep(runId: string, step: TestStep): Promise<ExecutedStep> {
    const run = await this.executions.live(runId);
    return run.serially(async () => {
      const index = await run.add(step);
      if (step.action === "type" && step.params.secret && step.params.text !== undefined)
        run.secrets.set(step.step_id, step.params.text);
      return this.executions.step(run, index);
    });
  }

  /** Sets a failed step of an interactive run aside: the agent tried something else, and it no longer counts. */
  async dropStep(runId: string, index: number, reason: string): Promise<StepState> {
    const run = await this.executions.live(runId);
    return run.serially(async () => {
      await run.record({ type: "DropStep", index, reason });
      return run.state.steps[index]!;
    });
  }

  /** Ends an interactive run once its current step is done: it completes, passed or failed by its steps. */
  finish(runId: string): Promise<RunDetails> {
    return this.executions.finish(runId) ?? this.details(runId);
  }

  /** Stops a run: an executing one finishes its current step, then stops (saving its state if asked). */
  async stop(runId: string, options: { reason?: string; saveState?: boolean } = {}): Promise<RunDetails> {
    const stop = { reason: options.reason ?? "stopped by request", saveState: options.saveState ?? true };
    const stopping = this.executions.stop(runId, stop);
    if (stopping) return stopping;
    // Another worker's run gets the request through the queue; this process never touches it.
    const queued =
      this.leases && (await stopThroughQueue(this.leases, this, runId, { ...stop, at: this.now() }));
    if (queued) return queued;
    await this.commands.run(runId, {
      type: "StopRun",
      reason: stop.reason,
      resumable: false,
      at: this.now(),
    });
    return this.details(runId);
  }

  /** Continues a stopped run, or one whose process died, from its last snapshot. */
  async resume(runId: string, options: ResumeOptions = {}) {
    return (await this.beginResume(runId, options)).done;
  }

  /**
   * Records the resumption (refused runs throw here, and so do secrets that are wrong or missing: see
   * resume/secrets.ts), then executes in the background. Secrets stay in this process's memory.
   */
  async beginResume(runId: string, options: ResumeOptions = {}) {
    if (this.executions.has(runId))
      throw new RunRuleError("wrong_status", `run ${runId} is running in this process`);
    const details = await this.details(runId);
    const given = acceptResumeSecrets(details, options.secrets ?? {}, {
      env: this.envOf(runId),
      held: this.secrets.get(runId),
    });
    const driver = options.driver ?? details.driver ?? "playwright";
    if (this.leases?.executes === false && Object.keys(options.secrets ?? {}).length > 0)
      throw new RunRuleError("wrong_status", "this server runs no worker: secrets cannot travel to one");
    // Claimed before anything is recorded: a run another worker holds is refused and left untouched.
    await claimThenRecord(this.leases, runId, () =>
      this.commands.run(runId, { type: "ResumeRun", driver, at: this.now() }),
    );
    if (given.steps.size > 0)
      this.secrets.set(runId, new Map([...(this.secrets.get(runId) ?? []), ...given.steps]));
    if (Object.keys(given.env).length > 0)
      this.runEnv.set(runId, { ...this.runEnv.get(runId), ...given.env });
    return { done: this.continueHere(runId) };
  }

  /** A resumed or healing run: executed here, or awaited from the log where workers elsewhere execute it. */
  private continueHere(runId: string): Promise<RunDetails> {
    if (this.leases?.executes === false) return waitForEnd((id) => this.details(id), runId);
    return this.execute(runId);
  }

  /** Re-runs a failed run from its first failed step, healing locators that no longer match. */
  async heal(runId: string): Promise<RunDetails> {
    return (await this.beginHeal(runId)).done;
  }

  /** Records the start of healing (refused runs throw here), then executes in the background. */
  async beginHeal(runId: string): Promise<{ done: Promise<RunDetails> }> {
    if (this.executions.has(runId))
      throw new RunRuleError("wrong_status", `run ${runId} is running in this process`);
    await claimThenRecord(this.leases, runId, () =>
      this.commands.run(runId, { type: "StartHealing", reason: "heal requested", at: this.now() }),
    );
    return { done: this.continueHere(runId) };
  }

  /** A person's verdict on a heal, recorded on the run; the plan's learned locators follow it. */
  async review(
    runId: string,
    healingId: string,
    verdict: { approved: boolean; reviewer: string; note?: string },
  ) {
    const command = { type: "ReviewHealing" as const, healing_id: healingId, ...verdict, at: this.now() };
    await this.commands.run(runId, command, verdict.reviewer);
    const details = await this.details(runId);
    await learnFromReview(this.commands, details, healingId, verdict);
    return details;
  }

  /** Stops every run this engine executes, each after its current step, saving its state. */
  async close(): Promise<void> {
    await Promise.allSettled(
      this.executions.ids().map((id) => this.stop(id, { reason: "shutting down", saveState: true })),
    );
  }
}
