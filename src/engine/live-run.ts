import type { RunCommands } from "../commands/run-commands.js";
import type { HealingThresholds } from "../domain/healing/score.js";
import type { PlanLocators, Role } from "../domain/locators/locators.js";
import { allSteps, type TestPlan, type TestStep } from "../domain/plan/model.js";
import type { RunCommand } from "../domain/run/decide.js";
import type { Located } from "../domain/run/events.js";
import type { RunState } from "../domain/run/state.js";
import type { WaitLearner } from "../domain/waits.js";
import type { BlobStore } from "../ports/blobs.js";
import type { BrowserSession, SnapshotStore } from "../ports/browser.js";
import type { DriftService } from "./drift/service.js";
import type { VisionLocator } from "./locate.js";
import type { PerformanceBudgets } from "./quality/performance.js";
import { typedSecrets } from "./snapshot-secrets.js";

/** What every run of an engine shares: where things are recorded and kept, and how steps are judged. */
export interface RunServices {
  commands: RunCommands;
  blobs: BlobStore;
  snapshots: SnapshotStore;
  waits: WaitLearner;
  thresholds: HealingThresholds;
  env: Record<string, string | undefined>;
  screenshots: "all" | "on_failure";
  clock: () => Date;
  vision?: VisionLocator;
  stepTimeoutMs?: number;
  budgets?: PerformanceBudgets;
  gates?: { accessibility?: "serious" | "critical"; budgets?: boolean };
}

/** Baselines along a run: capture each page it visits for one version, check each against another's. */
export interface VisualChecks {
  service: Pick<DriftService, "capture" | "checkIfApproved">;
  capture?: string;
  check?: string;
  seen: Set<string>;
}

/** What a step taught about its elements; the plan learns it once the run has ended well. */
export interface Learned {
  stepId: string;
  role: Role;
  located: Located;
  healingId?: string;
}

type CommandBody = RunCommand extends infer C ? (C extends unknown ? Omit<C, "at"> : never) : never;

/**
 * One run being executed: its browser session, its plan as it stands (an agent's steps join it), the
 * aggregate's state after the last command, and what the run has seen so far. Every step, from a plan or
 * from an agent, goes through `executeStep` with this object (as Playwright MCP's Tab is one per page).
 */
export class LiveRun {
  state: RunState;
  plan: TestPlan;
  locators: PlanLocators;
  /** Ids of the steps that passed, in order, for snapshots. */
  readonly executed: string[] = [];
  readonly learned: Learned[] = [];
  /** The page the last snapshot showed: learned waits are kept per page. */
  pageUrl?: string;
  /** Page states scanned for accessibility, page loads measured, security findings recorded: once a run. */
  readonly seen = { scans: new Set<string>(), loads: new Set<number>(), findings: new Set<string>() };
  knownAccessibility?: Set<string>;
  stopRequested?: { reason: string; saveState: boolean };
  /** Steps of one run run one at a time, whoever sends them. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly runId: string,
    readonly session: BrowserSession,
    readonly services: RunServices,
    start: { state: RunState; plan: TestPlan; locators: PlanLocators; pageUrl?: string; executed?: string[] },
    /** Values of secret literals by step id: they never reach the log. */
    readonly secrets: Map<string, string>,
    /** Generated data is seeded by the run, or for a re-execution by the original run. */
    readonly dataSeed: string,
    readonly visual?: VisualChecks,
    /** Environment values given to this run only (a resume's secrets by name), over the process's. */
    readonly env: Record<string, string | undefined> = services.env,
  ) {
    this.state = start.state;
    this.plan = start.plan;
    this.locators = start.locators;
    this.pageUrl = start.pageUrl;
    this.executed.push(...(start.executed ?? []));
  }

  /** What snapshots of this run must never hold: the secret values and environment values it types. */
  secretValues(): string[] {
    return typedSecrets(this.plan, this.secrets, this.env);
  }

  now(): string {
    return this.services.clock().toISOString();
  }

  /** Decides and records a command on this run; the state kept is what the log folds to. */
  async record(command: CommandBody) {
    const result = await this.services.commands.run(this.runId, { ...command, at: this.now() } as RunCommand);
    this.state = result.state;
    return result;
  }

  step(index: number): TestStep {
    const found = allSteps(this.plan)[index];
    if (!found) throw new Error(`run ${this.runId} has no step ${index}`);
    return found.step;
  }

  /** An agent's next step joins the plan. */
  async add(step: TestStep): Promise<number> {
    await this.record({ type: "AddStep", step });
    this.plan = { ...this.plan, test_steps: [...this.plan.test_steps, step] };
    return this.state.steps.length - 1;
  }

  /** Runs `work` after whatever this run is doing now. */
  serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => {});
    return next;
  }
}
