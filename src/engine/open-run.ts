import { ACTIVE } from "../domain/run/decide.js";
import type { DriverKind, SessionPool } from "../ports/browser.js";
import type { Logger } from "../ports/logger.js";
import type { RunDetails } from "../projections/run-report/details.js";
import { LiveRun, type RunServices, type VisualChecks } from "./live-run.js";
import { restoreRunPage } from "./resume/restore-page.js";

export interface OpenOptions {
  pool: SessionPool;
  services: RunServices;
  allowedHosts: string[];
  allowScripts?: boolean;
  viewport?: { width: number; height: number };
  secrets: Map<string, string>;
  /** The process's environment with what was given to this run only (a resume's secrets by name). */
  env: Record<string, string | undefined>;
  visual?: VisualChecks;
  knownAccessibility?: (runId: string) => Promise<Set<string> | undefined>;
  logger?: Logger;
}

/**
 * Opens a run for execution: starts it if it waits, gives it a browser session, brings a resumed or healing
 * run's page back from the last snapshot before its next step, and reads what its plan has learned.
 * Undefined when the run is not one to execute (finished, stopped, failed to plan).
 */
export async function openRun(details: RunDetails, options: OpenOptions): Promise<LiveRun | undefined> {
  const { services } = options;
  const runId = details.run_id!;
  const driver: DriverKind = details.driver ?? "playwright";
  let state = await services.commands.loadRun(runId);
  if (state.status === "pending") {
    const at = services.clock().toISOString();
    state = (await services.commands.run(runId, { type: "StartRun", driver, at })).state;
  }
  if (!ACTIVE.includes(state.status) || !details.plan) return undefined;
  const plan = details.plan;
  const session = await options.pool.acquire(driver, {
    allowedHosts: [...options.allowedHosts, new URL(plan.application_url).host],
    allowScripts: options.allowScripts,
    viewport: options.viewport,
    defaultTimeoutMs: services.stepTimeoutMs,
  });
  try {
    const dataSeed = details.source === "replay" && details.related_run ? details.related_run : runId;
    // A resumed or healing run starts from the last snapshot before its next step: page, forms, focus, and
    // what the snapshot could not hold (secrets) typed again.
    const restored = await restoreRunPage(session, details, {
      load: (hash) => services.snapshots.load(hash),
      env: options.env,
      secrets: options.secrets,
      dataSeed,
    });
    if (restored)
      options.logger?.[restored.complete ? "info" : "warn"]({ runId, restore: restored }, "page restored");
    const locators = await services.commands.planLocators(plan.plan_id);
    const run = new LiveRun(
      runId,
      session,
      services,
      {
        state,
        plan,
        locators,
        pageUrl: details.snapshots.at(-1)?.url,
        executed: details.steps
          .filter((s) => s.status === "passed" || s.status === "healed")
          .map((s) => s.step_id),
      },
      options.secrets,
      // A re-execution types the values the original generated.
      dataSeed,
      options.visual,
      options.env,
    );
    run.knownAccessibility = await options.knownAccessibility?.(runId);
    return run;
  } catch (error) {
    await session.close();
    throw error;
  }
}
