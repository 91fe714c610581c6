import { performance } from "node:perf_hooks";
import { isRejected, locatorKey, type Role } from "../domain/locators/locators.js";
import type { TargetSpec } from "../domain/plan/model.js";
import { resolveData } from "../domain/plan/test-data.js";
import type { Fact, Observation, ObservedData, StepOutcome } from "../domain/run/commands.js";
import { WaitLearner } from "../domain/waits.js";
import type { AccessibilitySnapshot, Target } from "../ports/browser.js";
import { act, type WaitKind } from "./actions.js";
import { captureAfterStep } from "./capture.js";
import { pageShows } from "./checks.js";
import type { Learned, LiveRun } from "./live-run.js";
import { type LocateResult, locate } from "./locate.js";
import { pageFindings, qualityGate } from "./page-findings.js";
import { refusedRequestsFailure, StepFailure } from "./step-failure.js";
import { typedText } from "./typed-text.js";

export interface Attempt {
  observations: Observation[];
  outcome: StepOutcome;
  learned: Learned[];
  /** The page the step left, as its snapshot recorded it. */
  snapshot?: ObservedData<"SnapshotCaptured">;
  /** For an agent driving the run: the page's accessibility tree after the step, read once, here. */
  view?: AccessibilitySnapshot;
}

const INTERACTIVE_ACTIONS = new Set([
  "click",
  "type",
  "press",
  "check",
  "select",
  "hover",
  "drag_drop",
  "upload_file",
  "fill_form",
]);

/** One attempt at a step: acts in the browser and reports what it observed. Decides nothing, records nothing. */
export async function performStep(run: LiveRun, index: number): Promise<Attempt> {
  const { session, services } = run;
  const step = run.step(index);
  const started = performance.now();
  const observations: Observation[] = [];
  const observe = (fact: Fact) =>
    observations.push({ ...fact, data: { ...fact.data, at: run.now() } } as Observation);
  const learned: Learned[] = [];
  const timeoutMs = Math.min(services.stepTimeoutMs ?? Number.POSITIVE_INFINITY, step.timeout * 1000);
  const pageKey = run.pageUrl ?? run.plan.application_url;
  let healingId: string | undefined;
  let pendingHeal: LocateResult["heal"];

  const wait = (kind: WaitKind, durationMs: number, success: boolean) => {
    const key = WaitLearner.keyOf(pageKey, `${kind} ${step.step_id}`);
    services.waits.observe({ key, durationMs, success });
    observe({
      type: "WaitObserved",
      data: { index, key, wait: kind, duration_ms: Math.round(durationMs), success },
    });
  };

  const find = async (spec: TargetSpec, role: Role): Promise<Target> => {
    const result = await locate({
      session,
      spec,
      role,
      index,
      stepId: step.step_id,
      interactive: INTERACTIVE_ACTIONS.has(step.action),
      learned: run.locators.learned[locatorKey(step.step_id, role)],
      isRejected: (signature) => isRejected(run.locators, step.step_id, role, signature),
      thresholds: services.thresholds,
      timeoutMs,
      healAfterMs: services.waits.learned(WaitLearner.keyOf(pageKey, `locate ${step.step_id}`))?.p95Ms,
      blobs: services.blobs,
      vision: services.vision,
    });
    wait("locate", result.waitedMs, result.target !== undefined);
    if (result.heal) {
      observe({ type: "HealingAttempted", data: result.heal.attempted });
      pendingHeal = result.heal;
    }
    if (!result.target || !result.located)
      throw new StepFailure(result.error ?? "element not found", result.retriable ?? true);
    if (result.heal) healingId = result.heal.healingId;
    observe({ type: "ElementLocated", data: { index, step_id: step.step_id, ...result.located } });
    learned.push({ stepId: step.step_id, role, located: result.located, healingId: result.heal?.healingId });
    return result.target;
  };

  const text = (raw: string, secret?: boolean) => {
    if (!secret) return typedText(run, step.step_id, raw);
    const value = run.secrets.get(step.step_id);
    if (value === undefined)
      throw new StepFailure(
        `this step types a secret value that this process does not hold; run the plan file again, or give it as secrets.${step.step_id}`,
        false,
      );
    return value;
  };

  try {
    const detail = await act(
      {
        session,
        find,
        text,
        data: (value) => resolveData(value, run.dataSeed, step.step_id),
        url: (relative) => new URL(relative, run.plan.application_url).toString(),
        wait,
        timeoutMs,
      },
      step,
    );
    if (step.expected_outcome) {
      wait(
        "assert",
        await pageShows(session, resolveData(step.expected_outcome, run.dataSeed, step.step_id), timeoutMs),
        true,
      );
    }
    // The action has happened: from here on, bookkeeping that fails must not fail the step (a retry would
    // repeat an action that already took effect, such as submitting a form).
    if (pendingHeal) {
      pendingHeal.healed.screenshot_after = await session
        .screenshot()
        .then(async (png) => (await services.blobs.put(png)).hash)
        .catch(() => undefined);
      observe({ type: "LocatorHealed", data: pendingHeal.healed });
      pendingHeal = undefined;
    }
    let snapshot: ObservedData<"SnapshotCaptured"> | undefined;
    // A passing check changes nothing on the page: the last snapshot still stands for it.
    if (step.action !== "assert" && step.action !== "wait") {
      snapshot = await captureAfterStep(run, index, false).catch(() => undefined);
      if (snapshot) {
        observe({ type: "SnapshotCaptured", data: snapshot });
        const found = await pageFindings(run, index, snapshot);
        for (const fact of found) observe(fact);
        // A quality gate is a verdict on what the step led to, not bookkeeping: it fails the step, once.
        const gate = qualityGate(run, found);
        if (gate) throw new StepFailure(gate, false);
      }
    }
    // Requests the network gate refused while the step ran (and while its page was captured, so requests the
    // page starts late are counted too) fail it, not retried, each recorded.
    const refused = session.takeRefusedRequests?.() ?? [];
    for (const r of refused) {
      observe({ type: "RequestRefused", data: { index, url: r.url, host: r.host, reason: r.reason } });
    }
    const refusal = refusedRequestsFailure(refused);
    if (refusal) throw refusal;
    const duration_ms = Math.round(performance.now() - started);
    return {
      observations,
      learned,
      snapshot,
      view: await viewFor(run),
      outcome: { passed: true, duration_ms, detail, healing_id: healingId },
    };
  } catch (error) {
    if ((error as Error).name === "BrowserCrashedError") throw error;
    if (pendingHeal) observe({ type: "LocatorHealed", data: pendingHeal.healed });
    for (const r of session.takeRefusedRequests?.() ?? []) {
      observe({ type: "RequestRefused", data: { index, url: r.url, host: r.host, reason: r.reason } });
    }
    const snapshot = await captureAfterStep(run, index, true).catch(() => undefined);
    if (snapshot) observe({ type: "SnapshotCaptured", data: snapshot });
    return {
      observations,
      learned,
      snapshot,
      view: await viewFor(run),
      outcome: {
        passed: false,
        duration_ms: Math.round(performance.now() - started),
        error: (error as Error).message.split("\n")[0]!.slice(0, 1000),
        screenshot_hash: snapshot?.screenshot_hash,
        healing_id: healingId,
        ...(error instanceof StepFailure && !error.retriable ? { retriable: false } : {}),
      },
    };
  }
}

/** What an agent reads of the page after its step; a run from a plan has no agent to show it to. */
async function viewFor(run: LiveRun): Promise<AccessibilitySnapshot | undefined> {
  if (!run.state.interactive) return undefined;
  return run.session.accessibilitySnapshot().catch(() => undefined);
}
