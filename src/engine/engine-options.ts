import type { EventStore } from "../domain/events/store.js";
import type { HealingThresholds } from "../domain/healing/score.js";
import type { UrlPolicy } from "../domain/network/policy.js";
import type { WaitObservation } from "../domain/waits.js";
import type { BlobStore } from "../ports/blobs.js";
import type { DriverKind, SessionPool, SnapshotStore } from "../ports/browser.js";
import type { Logger } from "../ports/logger.js";
import type { DriftService } from "./drift/service.js";
import type { VisionLocator } from "./locate.js";
import type { PerformanceBudgets } from "./quality/performance.js";
import type { Leases } from "./queue/leases.js";

/** What an engine is built from: where it records and keeps things, its browsers, and how it judges steps. */
export interface EngineOptions {
  store: EventStore;
  pool: SessionPool;
  blobs: BlobStore;
  snapshots: SnapshotStore;
  logger?: Logger;
  thresholds?: HealingThresholds;
  screenshots?: "all" | "on_failure";
  env?: Record<string, string | undefined>;
  defaultDriver?: DriverKind;
  allowedHosts?: string[];
  /** The operator's network policy: a run's application must be a host it admits (checked before recording). */
  networkPolicy?: UrlPolicy;
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
  /** Runs as leased work in the database queue (td_run_queue): claimed, renewed, released, taken over. */
  leases?: Leases;
  /** Where commands take their time from: the log's times are the commands' times. */
  clock?: () => Date;
}
