import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { BlobStore } from "../adapters/blobs/fs-blob-store.js";
import { WaitLearner, type WaitObservation } from "../adapters/browser/learned-waits.js";
import type { BrowserPool } from "../adapters/browser/pool.js";
import { captureSnapshot } from "../adapters/browser/snapshot.js";
import type { BrowserSession, DriverKind } from "../adapters/browser/types.js";
import type { SnapshotStore } from "../adapters/snapshots/snapshot-store.js";
import { RunCommands } from "../commands/run-commands.js";
import type { EventStore } from "../domain/events/store.js";
import { signatureOf } from "../domain/healing/fingerprint.js";
import { DEFAULT_THRESHOLDS, type HealingThresholds } from "../domain/healing/score.js";
import type { LocatorCommand } from "../domain/locators/locators.js";
import { allSteps, type TestPlan, type TestStep } from "../domain/plan/model.js";
import { MASK } from "../domain/plan/secrets.js";
import { decide, RunRuleError } from "../domain/run/decide.js";
import { nextPendingStep, type RunState, type StepState } from "../domain/run/state.js";
import type { Logger } from "../logger.js";
import type { DriftService } from "./drift/service.js";
import type { VisionLocator } from "./locate.js";
import type { PerformanceBudgets } from "./quality/performance.js";
import { restoreRunPage } from "./resume/restore-page.js";
import { acceptResumeSecrets } from "./resume/secrets.js";
import { typedSecrets } from "./snapshot-secrets.js";
import { executeStep, type StepResult } from "./step-executor.js";

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

export interface EngineOptions {
  store: EventStore;
  pool: BrowserPool;
  blobs: BlobStore;
  snapshots: SnapshotStore;
  logger?: Logger;
  thresholds?: HealingThresholds;
  screenshots?: "all" | "on_failure";
  env?: Record<string, string | undefined>;
  defaultDriver?: DriverKind;
  allowedHosts?: string[];
  allowScripts?: boolean;
  stepTimeoutMs?: number;
  viewport?: { width: number; height: number };
  vision?: VisionLocator;
  /** Budgets for runs with performance in scope (the spec's defaults otherwise). */
  performanceBudgets?: PerformanceBudgets;
  /** Fail a step on new accessibility violations at or above a level, or on a broken performance budget. */
  qualityGates?: { accessibility?: "serious" | "critical"; budgets?: boolean };
  /** Issues (page + "\u0000" + rule) earlier runs already had, so that only new ones fail a run. */
  knownQualityIssues?: (kind: "accessibility", runId: string) => Promise<Set<string>>;
  /** What earlier processes learned about waits (the learned_waits read model); read once, before the first run. */
  learnedWaits?: () => Promise<WaitObservation[]>;
  /** Visual baselines and drift checks, for runs started with `baselines`. */
  drift?: Pick<DriftService, "capture" | "checkIfApproved">;
}

export interface StartOptions {
  plan?: TestPlan;
  driver?: DriverKind;
  applicationVersion?: string;
  source?: "plan" | "requirements" | "api" | "replay";
  planner?: "file" | "deterministic" | "model" | "recorded";
  unparsed?: string[];
  planningError?: { error: string; attempts: number };
  requestedBy?: string;
  relatedRun?: string;
  applicationUrl?: string;
  runId?: string;
  /** Steps will come one by one through addStep; the run waits for them until finish(). */
  interactive?: boolean;
  /** Values of secret steps by step id, for plans that hold them masked (re-executions of recorded runs). */
  secrets?: Record<string, string>;
  /**
   * Visual baselines along the way (needs the engine's drift service): capture the first state of each page
   * the run visits as the baseline of version `capture`; check each against the approved baseline of
   * version `check`, recording the drift in the run. Held in memory, like secrets: a resumed run goes on
   * without them.
   */
  baselines?: { capture?: string; check?: string };
}

export interface ResumeOptions {
  driver?: DriverKind;
  /** Secret values by secret step id or by `${env:NAME}` name (see resume/secrets.ts); kept in memory only. */
  secrets?: Record<string, string>;
}

interface ActiveRun {
  session?: BrowserSession;
  stopRequested?: { reason: string; saveState: boolean };
  finishRequested?: boolean;
  /** Wakes an interactive run waiting for its next step. */
  wake?: () => void;
  done: Promise<RunState>;
}

/**
 * Runs test plans as event streams: every decision goes through the run aggregate's `decide`, every fact the
 * browser shows becomes an event. Secrets typed by a plan are kept in memory only, per run.
 */
export class TestEngine {
  readonly commands: RunCommands;
  readonly waits = new WaitLearner();
  private readonly active = new Map<string, ActiveRun>();
  private readonly secrets = new Map<string, Map<string, string>>();
  /** Environment values given to one run only (a resume's secrets by variable name), over the process's. */
  private readonly runEnv = new Map<string, Record<string, string>>();
  private readonly baselines = new Map<string, NonNullable<StartOptions["baselines"]>>();
  private readonly learned = new Map<string, StepResult["learned"]>();
  private listeners = new Set<(event: ProgressEvent) => void>();

  constructor(private readonly options: EngineOptions) {
    this.commands = new RunCommands(options.store);
  }

  private seeded?: Promise<void>;
  /** Starts the learner from the recorded waits once; a failure to read them leaves it empty, not the run failed. */
  private seedWaits(): Promise<void> {
    this.seeded ??= (async () => {
      const observations = await this.options.learnedWaits?.().catch(() => []);
      for (const o of observations ?? []) this.waits.observe(o);
    })();
    return this.seeded;
  }

  onProgress(listener: (event: ProgressEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ProgressEvent) {
    for (const listener of this.listeners) listener(event);
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  activeSession(runId: string): BrowserSession | undefined {
    return this.active.get(runId)?.session;
  }

  /** Records the request and the plan (or the planning failure); the run waits to be executed. */
  async start(options: StartOptions): Promise<string> {
    const runId = options.runId ?? randomUUID();
    const plan = options.plan;
    if (plan) {
      const secrets = new Map<string, string>();
      for (const { step } of allSteps(plan)) {
        // A recorded plan holds the mask, not the value: only a given value is a secret to type.
        const text = options.secrets?.[step.step_id] ?? step.params.text;
        if (step.action === "type" && step.params.secret && typeof text === "string" && text !== MASK) {
          secrets.set(step.step_id, text);
        }
      }
      if (secrets.size > 0) this.secrets.set(runId, secrets);
    }
    if (options.baselines?.capture || options.baselines?.check) {
      if (!this.options.drift) throw new Error("this engine has no drift service for visual baselines");
      this.baselines.set(runId, options.baselines);
    }
    await this.commands.run(runId, {
      type: "RequestRun",
      run_id: runId,
      application_url: plan?.application_url ?? options.applicationUrl ?? "",
      application_version: options.applicationVersion,
      driver: options.driver ?? this.driverFor(plan),
      source: options.source ?? "plan",
      requested_by: options.requestedBy,
      related_run: options.relatedRun,
      plan,
      planner: options.planner ?? "file",
      unparsed: options.unparsed,
      planning_error: options.planningError,
      interactive: options.interactive,
    });
    return runId;
  }

  private driverFor(plan?: TestPlan): DriverKind {
    return plan && plan.framework !== "auto" ? plan.framework : (this.options.defaultDriver ?? "playwright");
  }

  /** Starts (or continues) executing a run; resolves with its final state. */
  execute(runId: string, options: { signal?: AbortSignal } = {}): Promise<RunState> {
    const existing = this.active.get(runId);
    if (existing) return existing.done;
    const active: ActiveRun = { done: Promise.resolve(undefined as never) };
    active.done = this.loop(runId, active, options.signal).finally(() => this.active.delete(runId));
    this.active.set(runId, active);
    return active.done;
  }

  async run(options: StartOptions, execution: { signal?: AbortSignal } = {}): Promise<RunState> {
    return this.execute(await this.start(options), execution);
  }

  private async loop(runId: string, active: ActiveRun, signal?: AbortSignal): Promise<RunState> {
    let state = await this.commands.loadRun(runId);
    if (state.status === "pending") {
      state = (await this.commands.run(runId, { type: "StartRun", driver: state.driver ?? "playwright" }))
        .state;
    }
    if (state.status !== "running" && state.status !== "healing") return state;
    const plan = state.plan!;
    const started = performance.now();
    let steps = allSteps(plan);
    this.emit({ runId, kind: "run_started", total: steps.length });
    let session: BrowserSession | undefined;
    try {
      session = await this.options.pool.acquire(state.driver ?? "playwright", {
        allowedHosts: [...(this.options.allowedHosts ?? []), new URL(plan.application_url).host],
        allowScripts: this.options.allowScripts,
        viewport: this.options.viewport,
        defaultTimeoutMs: this.options.stepTimeoutMs,
      });
      active.session = session;
      await this.restoreIfContinuing(state, session);
      await this.seedWaits();
      const locators = await this.commands.planLocators(plan.plan_id);
      const executed: string[] = state.steps
        .filter((s) => s.status === "passed" || s.status === "healed")
        .map((s) => s.step_id);

      const gates = this.options.qualityGates;
      const knownAccessibility = gates?.accessibility
        ? await this.options.knownQualityIssues?.("accessibility", runId).catch(() => undefined)
        : undefined;
      const scannedPages = new Set<string>();
      const measuredLoads = new Set<number>();
      const securitySeen = new Set<string>();
      const baselines = this.baselines.get(runId);
      const visual =
        baselines && this.options.drift
          ? { service: this.options.drift, ...baselines, seen: new Set<string>() }
          : undefined;
      const onAbort = () => active.wake?.();
      signal?.addEventListener("abort", onAbort);
      for (;;) {
        const step = nextPendingStep(state);
        if (signal?.aborted || active.stopRequested) break;
        if (!step) {
          // An interactive run waits for its next step (addStep) until it is finished or stopped.
          if (!state.interactive || active.finishRequested) break;
          await new Promise<void>((resolve) => {
            active.wake = resolve;
          });
          state = await this.commands.loadRun(runId);
          continue;
        }
        // The start is decided now; its write overlaps the step's browser work and is awaited before the
        // outcome is recorded, so the log never holds an outcome without its start.
        const start = { type: "StartStep" as const, index: step.index };
        decide(start, state); // throws, before the browser acts, if the run refuses the step
        const starting = this.commands.run(runId, start);
        starting.catch(() => {}); // awaited below; a rejection must not go unhandled meanwhile
        // An interactive run's plan grows while it runs.
        if (step.index >= steps.length) steps = allSteps(state.plan!);
        const definition = steps[step.index]!.step;
        this.emit({
          runId,
          kind: "step_started",
          index: step.index,
          total: steps.length,
          stepId: step.step_id,
          description: step.description,
        });
        const result = await executeStep({
          session,
          runId,
          plan,
          index: step.index,
          step: definition,
          locators,
          thresholds: this.options.thresholds ?? DEFAULT_THRESHOLDS,
          env: this.envOf(runId),
          secrets: this.secrets.get(runId) ?? new Map(),
          blobs: this.options.blobs,
          snapshots: this.options.snapshots,
          screenshots: this.options.screenshots ?? "on_failure",
          waits: this.waits,
          vision: this.options.vision,
          executedSteps: executed,
          pageUrl: state.snapshots.at(-1)?.url,
          scannedPages,
          measuredLoads,
          securitySeen,
          visual,
          gates: gates ? { ...gates, knownAccessibility } : undefined,
          // A re-execution types the values the original generated.
          dataSeed: state.source === "replay" && state.related_run ? state.related_run : runId,
          budgets: this.options.performanceBudgets,
          timeoutMs: this.options.stepTimeoutMs
            ? Math.min(this.options.stepTimeoutMs, definition.timeout * 1000)
            : undefined,
        });
        await starting;
        state = (
          await this.commands.run(runId, {
            type: "FinishStep",
            index: step.index,
            observations: result.observations,
            outcome: result.outcome,
          })
        ).state;
        const finished = state.steps[step.index]!;
        this.emit({
          runId,
          kind: "step_finished",
          index: step.index,
          total: steps.length,
          stepId: step.step_id,
          description: step.description,
          status: finished.status,
          durationMs: result.outcome.duration_ms,
          error: result.outcome.passed ? undefined : result.outcome.error,
          healed: finished.status === "healed",
        });
        if (finished.status === "passed" || finished.status === "healed") {
          executed.push(step.step_id);
          this.learned.set(runId, [
            ...(this.learned.get(runId) ?? []),
            ...result.learned.map((l) => ({ ...l, stepId: step.step_id })),
          ]);
        }
        // An agent driving an interactive run decides itself what follows a failure.
        if (
          finished.status === "failed" &&
          finished.critical &&
          finished.phase !== "teardown" &&
          !state.interactive
        ) {
          state = (
            await this.commands.run(runId, {
              type: "SkipRemaining",
              reason: `critical step ${finished.step_id} failed`,
            })
          ).state;
        }
      }

      if (active.stopRequested || signal?.aborted) {
        const reason = active.stopRequested?.reason ?? "cancelled";
        const saveState = active.stopRequested?.saveState ?? true;
        const snapshot = saveState ? await this.saveSnapshot(runId, session) : undefined;
        state = (
          await this.commands.run(runId, {
            type: "StopRun",
            reason,
            snapshot_hash: snapshot,
            resumable: saveState,
          })
        ).state;
      } else {
        state = (
          await this.commands.run(runId, {
            type: "CompleteRun",
            duration_ms: Math.round(performance.now() - started),
          })
        ).state;
        await this.commitLearned(runId, state);
      }
    } catch (error) {
      const message = (error as Error).message;
      this.options.logger?.error({ runId, err: error }, "run interrupted");
      state = await this.commands.loadRun(runId);
      if (state.status === "running" || state.status === "healing") {
        const crashed = (error as Error).name === "BrowserCrashedError";
        state = (
          await this.commands.run(runId, (s) =>
            crashed
              ? {
                  type: "StopRun",
                  reason: message,
                  resumable: true,
                  snapshot_hash: s.snapshots.at(-1)?.snapshot_hash,
                }
              : { type: "CompleteRun", duration_ms: Math.round(performance.now() - started), error: message },
          )
        ).state;
      }
    } finally {
      await session?.close();
      this.emit({
        runId,
        kind: "run_finished",
        status: state.status,
        durationMs: Math.round(performance.now() - started),
      });
    }
    return state;
  }

  private envOf(runId: string): Record<string, string | undefined> {
    const env = this.options.env ?? process.env;
    const given = this.runEnv.get(runId);
    return given ? { ...env, ...given } : env;
  }

  /**
   * A resumed or healing run starts from the last snapshot taken before its next step: its page, forms and
   * focus, and what the snapshot could not hold (secrets) typed again (see resume/restore-page.ts).
   */
  private async restoreIfContinuing(state: RunState, session: BrowserSession) {
    const runId = state.run_id!;
    const report = await restoreRunPage(session, state, {
      load: (hash) => this.options.snapshots.load(hash),
      env: this.envOf(runId),
      secrets: this.secrets.get(runId) ?? new Map(),
      dataSeed: state.source === "replay" && state.related_run ? state.related_run : runId,
    });
    if (report)
      this.options.logger?.[report.complete ? "info" : "warn"]({ runId, restore: report }, "page restored");
  }

  private async saveSnapshot(runId: string, session: BrowserSession): Promise<string | undefined> {
    try {
      const state = await this.commands.loadRun(runId);
      const secrets = typedSecrets(state.plan, this.secrets.get(runId), this.envOf(runId));
      const snapshot = await captureSnapshot(session, {
        runId,
        stepId: "stop",
        blobs: this.options.blobs,
        secrets,
      });
      return await this.options.snapshots.put(snapshot);
    } catch {
      return undefined;
    }
  }

  /** After a run: what it located, and heals that held, become the plan's learned locators. */
  private async commitLearned(runId: string, state: RunState) {
    const entries = (this.learned.get(runId) ?? []) as (StepResult["learned"][number] & { stepId: string })[];
    this.learned.delete(runId);
    this.secrets.delete(runId);
    this.runEnv.delete(runId);
    this.baselines.delete(runId);
    type Entry = Extract<LocatorCommand, { type: "Learn" }>["entries"][number];
    const learn = entries.flatMap((entry): Entry[] => {
      if (!entry.healingId) {
        return [
          {
            step_id: entry.stepId,
            role: entry.role,
            locator: entry.located.locator,
            fingerprint: entry.located.fingerprint,
            source: "located",
          },
        ];
      }
      const heal = state.healings[entry.healingId];
      if (heal?.decision !== "auto_commit" || heal.successful !== true) return [];
      return [
        {
          step_id: entry.stepId,
          role: entry.role,
          locator: entry.located.locator,
          fingerprint: entry.located.fingerprint,
          source: "healed",
          healing_id: entry.healingId,
        },
      ];
    });
    if (learn.length > 0 && state.plan)
      await this.commands.learn(state.plan.plan_id, { type: "Learn", run_id: runId, entries: learn });
  }

  /** Stops a run: an active one finishes its current step, then stops (saving its state if asked). */
  async stop(runId: string, options: { reason?: string; saveState?: boolean } = {}): Promise<RunState> {
    const reason = options.reason ?? "stopped by request";
    const active = this.active.get(runId);
    if (active) {
      active.stopRequested = { reason, saveState: options.saveState ?? true };
      active.wake?.();
      return active.done;
    }
    return (await this.commands.run(runId, { type: "StopRun", reason, resumable: false })).state;
  }

  /**
   * Gives an interactive run its next step and resolves when the step has finished (after its retries), or
   * when the run ended first. Secret text is kept in memory only, like a plan's.
   */
  async addStep(runId: string, step: TestStep): Promise<StepState> {
    const active = this.active.get(runId);
    if (!active) {
      throw new RunRuleError(
        "wrong_status",
        `run ${runId} is not executing in this process; start an interactive run`,
      );
    }
    const { state } = await this.commands.run(runId, { type: "AddStep", step });
    if (step.action === "type" && step.params.secret && typeof step.params.text === "string") {
      const secrets = this.secrets.get(runId) ?? new Map<string, string>();
      secrets.set(step.step_id, step.params.text);
      this.secrets.set(runId, secrets);
    }
    const index = state.steps.length - 1;
    const settled = this.settled(runId, index, active);
    active.wake?.();
    await settled;
    return (await this.commands.loadRun(runId)).steps[index]!;
  }

  /**
   * Starts an interactive run and resolves once its browser is open and its first step (opening the
   * application) has finished: from then on, addStep, the session and its page are there.
   */
  async startInteractive(
    options: StartOptions,
  ): Promise<{ runId: string; first: StepState; done: Promise<RunState> }> {
    const runId = await this.start({ ...options, interactive: true });
    const done = this.execute(runId);
    await this.settled(runId, 0, this.active.get(runId)!);
    return { runId, first: (await this.commands.loadRun(runId)).steps[0]!, done };
  }

  /** Resolves when a step has its outcome (after retries), or the run ended first. */
  private settled(runId: string, index: number, active: ActiveRun): Promise<void> {
    return new Promise<void>((resolve) => {
      const off = this.onProgress((e) => {
        if (e.runId !== runId) return;
        const settled = e.kind === "step_finished" && e.index === index && e.status !== "pending";
        if (settled || e.kind === "run_finished") {
          off();
          resolve();
        }
      });
      void active.done.finally(() => {
        off();
        resolve();
      });
    });
  }

  /** Ends an interactive run once its current step is done: it completes, passed or failed by its steps. */
  finish(runId: string): Promise<RunState> {
    const active = this.active.get(runId);
    if (!active) return this.commands.loadRun(runId);
    active.finishRequested = true;
    active.wake?.();
    return active.done;
  }

  /** Continues a stopped run, or one whose process died, from its last snapshot. */
  async resume(runId: string, options: ResumeOptions = {}): Promise<RunState> {
    return (await this.beginResume(runId, options)).done;
  }

  /**
   * Records the resumption (refused runs throw here, and so do secrets that are wrong or missing: see
   * resume/secrets.ts), then executes in the background. Secrets stay in this process's memory.
   */
  async beginResume(runId: string, options: ResumeOptions = {}): Promise<{ done: Promise<RunState> }> {
    if (this.active.has(runId)) throw new Error(`run ${runId} is running in this process`);
    const state = await this.commands.loadRun(runId);
    const given = acceptResumeSecrets(state, options.secrets ?? {}, {
      env: this.envOf(runId),
      held: this.secrets.get(runId),
    });
    await this.commands.run(runId, {
      type: "ResumeRun",
      driver: options.driver ?? state.driver ?? "playwright",
    });
    if (given.steps.size > 0)
      this.secrets.set(runId, new Map([...(this.secrets.get(runId) ?? []), ...given.steps]));
    if (Object.keys(given.env).length > 0)
      this.runEnv.set(runId, { ...this.runEnv.get(runId), ...given.env });
    return { done: this.execute(runId) };
  }

  /** Re-runs a failed run from its first failed step, healing locators that no longer match. */
  async heal(runId: string): Promise<RunState> {
    return (await this.beginHeal(runId)).done;
  }

  /** Records the start of healing (refused runs throw here), then executes in the background. */
  async beginHeal(runId: string): Promise<{ done: Promise<RunState> }> {
    if (this.active.has(runId)) throw new Error(`run ${runId} is running in this process`);
    await this.commands.run(runId, { type: "StartHealing", reason: "heal requested" });
    return { done: this.execute(runId) };
  }

  /**
   * A person's verdict on a heal. Approval makes the healed locator the plan's learned one; rejection makes
   * sure the same element is never proposed again for that step.
   */
  async review(
    runId: string,
    healingId: string,
    verdict: { approved: boolean; reviewer: string; note?: string },
  ): Promise<RunState> {
    const { state } = await this.commands.run(
      runId,
      { type: "ReviewHealing", healing_id: healingId, ...verdict },
      verdict.reviewer,
    );
    const heal = state.healings[healingId]!;
    const planId = state.plan!.plan_id;
    if (verdict.approved) {
      await this.commands.learn(
        planId,
        {
          type: "Learn",
          run_id: runId,
          entries: [
            {
              step_id: heal.step_id,
              role: heal.role,
              locator: heal.new_locator,
              fingerprint: heal.new_fingerprint,
              source: "approved",
              healing_id: healingId,
            },
          ],
        },
        verdict.reviewer,
      );
    } else {
      await this.commands.learn(
        planId,
        {
          type: "Reject",
          run_id: runId,
          step_id: heal.step_id,
          role: heal.role,
          signature: signatureOf(heal.new_fingerprint),
          healing_id: healingId,
        },
        verdict.reviewer,
      );
    }
    return state;
  }

  async close(): Promise<void> {
    await Promise.allSettled(
      [...this.active.keys()].map((id) => this.stop(id, { reason: "shutting down", saveState: true })),
    );
  }
}
