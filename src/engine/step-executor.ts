import { performance } from "node:perf_hooks";
import type { BlobStore } from "../adapters/blobs/fs-blob-store.js";
import { cropPng } from "../adapters/browser/crop.js";
import { WaitLearner } from "../adapters/browser/learned-waits.js";
import {
  captureSnapshot,
  consoleErrorsOf,
  failedRequestsOf,
  type StateSnapshot,
} from "../adapters/browser/snapshot.js";
import type { BrowserSession, Target } from "../adapters/browser/types.js";
import {
  waitForDomQuiescence,
  waitForNetworkIdle,
  waitForVisualStability,
} from "../adapters/browser/waits.js";
import type { SnapshotStore } from "../adapters/snapshots/snapshot-store.js";
import { captureScreen } from "../adapters/vision/capture.js";
import type { HealingThresholds } from "../domain/healing/score.js";
import {
  isRejected,
  type LearnedLocator,
  locatorKey,
  type PlanLocators,
  type Role,
} from "../domain/locators/locators.js";
import { pageOf } from "../domain/pages.js";
import { allSteps, type TargetSpec, type TestPlan, type TestStep } from "../domain/plan/model.js";
import { resolveText } from "../domain/plan/secrets.js";
import { resolveData } from "../domain/plan/test-data.js";
import type { Observation, RunCommand } from "../domain/run/decide.js";
import type { DriftService } from "./drift/service.js";
import { type LocateResult, locate, type VisionLocator } from "./locate.js";
import { type AccessibilityViolation, scanAccessibility } from "./quality/accessibility.js";
import { checkRequest, type RequestExpectation } from "./quality/api-check.js";
import { breaches, DEFAULT_BUDGETS, measurePage, type PerformanceBudgets } from "./quality/performance.js";
import { passiveSecurityChecks } from "./quality/security.js";
import { typedSecrets } from "./snapshot-secrets.js";

export interface StepContext {
  session: BrowserSession;
  runId: string;
  plan: TestPlan;
  index: number;
  step: TestStep;
  locators: PlanLocators;
  thresholds: HealingThresholds;
  env: Record<string, string | undefined>;
  /** Values of secret literals, by step id: they never reach the log. */
  secrets: Map<string, string>;
  blobs: BlobStore;
  snapshots?: SnapshotStore;
  screenshots: "all" | "on_failure";
  waits: WaitLearner;
  vision?: VisionLocator;
  executedSteps: string[];
  timeoutMs?: number;
  /** The page the previous step left the browser on, for learned-wait keys. */
  pageUrl?: string;
  /** Page states (URL and DOM hash) this run has scanned for accessibility already. */
  scannedPages?: Set<string>;
  /** Page loads (performance.timeOrigin) this run has measured already. */
  measuredLoads?: Set<number>;
  budgets?: PerformanceBudgets;
  /** Quality gates: fail the step that reveals new accessibility violations at or above a level, or a broken budget. */
  gates?: QualityGates;
  /** Seed of generated test data: the run's id, or for a re-execution the original run's. */
  dataSeed?: string;
  /** Security findings (page, rule, detail) this run has recorded already. */
  securitySeen?: Set<string>;
  /** Visual baselines: capture each page the run visits for a version, and check each against another's. */
  visual?: VisualChecks;
}

/** What a run does with visual baselines, page by page (the first state of each page it visits). */
export interface VisualChecks {
  service: Pick<DriftService, "capture" | "checkIfApproved">;
  capture?: string;
  check?: string;
  seen: Set<string>;
}

export type StepOutcome = Extract<RunCommand, { type: "FinishStep" }>["outcome"];

export interface StepResult {
  observations: Observation[];
  outcome: StepOutcome;
  /** What this step taught about its elements, for the plan's locators once the run ends. */
  learned: { role: Role; located: NonNullable<LocateResult["located"]>; healingId?: string }[];
}

class StepFailure extends Error {
  constructor(
    message: string,
    readonly retriable = true,
  ) {
    super(message);
  }
}

const normalize = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * Polls `check` until it holds or time runs out; returns how long it took, or throws with the last reason.
 * Such a failure is not retried: the check already waited the whole timeout.
 */
async function until(check: () => Promise<string | true>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  let reason = "";
  for (;;) {
    const result = await check().catch((e: Error) => e.message);
    if (result === true) return performance.now() - started;
    reason = result;
    if (performance.now() - started >= timeoutMs)
      throw new StepFailure(`${reason} (waited ${timeoutMs} ms)`, false);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs one step in the browser and reports what it observed; decides nothing, appends nothing. */
export async function executeStep(ctx: StepContext): Promise<StepResult> {
  const { session, step, index } = ctx;
  const started = performance.now();
  const observations: Observation[] = [];
  const learned: StepResult["learned"] = [];
  const timeoutMs = ctx.timeoutMs ?? step.timeout * 1000;
  const params = step.params;
  let healingId: string | undefined;
  let pendingHeal: LocateResult["heal"];
  let detail: string | undefined;
  const pageKey = ctx.pageUrl ?? ctx.plan.application_url;

  const observeWait = (
    wait: "locate" | "assert" | "navigation" | "network_idle" | "dom_quiet" | "visual_stability" | "fixed",
    durationMs: number,
    success: boolean,
  ) => {
    const key = WaitLearner.keyOf(pageKey, `${wait} ${step.step_id}`);
    ctx.waits.observe({ key, durationMs, success });
    observations.push({
      type: "WaitObserved",
      data: { index, key, wait, duration_ms: Math.round(durationMs), success },
    });
  };

  const find = async (spec: TargetSpec, role: Role): Promise<Target> => {
    const key = locatorKey(step.step_id, role);
    const learnedLocator: LearnedLocator | undefined = ctx.locators.learned[key];
    const waitKey = WaitLearner.keyOf(pageKey, `locate ${step.step_id}`);
    const result = await locate({
      session,
      spec,
      role,
      index,
      stepId: step.step_id,
      interactive: ["click", "type", "select", "hover", "drag_drop", "upload_file"].includes(step.action),
      learned: learnedLocator,
      isRejected: (signature) => isRejected(ctx.locators, step.step_id, role, signature),
      thresholds: ctx.thresholds,
      timeoutMs,
      healAfterMs: ctx.waits.learned(waitKey)?.p95Ms,
      blobs: ctx.blobs,
      vision: ctx.vision,
    });
    observeWait("locate", result.waitedMs, result.target !== undefined);
    if (result.heal) {
      observations.push({ type: "HealingAttempted", data: result.heal.attempted });
      pendingHeal = result.heal;
    }
    if (!result.target || !result.located)
      throw new StepFailure(result.error ?? "element not found", result.retriable ?? true);
    if (result.heal) healingId = result.heal.healingId;
    observations.push({ type: "ElementLocated", data: { index, step_id: step.step_id, ...result.located } });
    learned.push({ role, located: result.located, healingId: result.heal?.healingId });
    return result.target;
  };

  const text = (value: unknown) => {
    const raw = String(value);
    if (params.secret) {
      const secret = ctx.secrets.get(step.step_id);
      if (secret === undefined) {
        throw new StepFailure(
          `this step types a secret value that this process does not hold; run the plan file again, or give it as secrets.${step.step_id}`,
        );
      }
      return secret;
    }
    return typedText(ctx, step.step_id, raw);
  };
  // Checks may name generated values too (`${data:email#buyer}`): the same seed gives the same value.
  const data = (value: unknown) =>
    typeof value === "string" ? resolveData(value, ctx.dataSeed ?? ctx.runId, step.step_id) : value;

  try {
    switch (step.action) {
      case "navigate": {
        const url = new URL(String(params.url), ctx.plan.application_url).toString();
        const t = performance.now();
        await session.navigate(url, { waitUntil: (params.wait_until as "load") ?? "load", timeoutMs });
        observeWait("navigation", performance.now() - t, true);
        detail = `opened ${url}`;
        break;
      }
      case "click": {
        const target = await find(params.target as TargetSpec, "target");
        await session.click(target, {
          button: params.button as "left" | undefined,
          clickCount: params.click_count as number | undefined,
        });
        break;
      }
      case "type": {
        const target = params.target ? await find(params.target as TargetSpec, "target") : undefined;
        if (params.text !== undefined && target) {
          await session.type(target, text(params.text), {
            clear: (params.clear as boolean) ?? true,
            keystrokes: params.keystrokes === true,
          });
        } else if (target) await session.click(target);
        if (params.key) await session.press(String(params.key));
        break;
      }
      case "select": {
        const target = await find(params.target as TargetSpec, "target");
        await session.select(target, params.values as string[]);
        break;
      }
      case "hover":
        await session.hover(await find(params.target as TargetSpec, "target"));
        break;
      case "drag_drop": {
        const source = await find(params.source as TargetSpec, "source");
        const destination = await find(params.destination as TargetSpec, "destination");
        await session.dragAndDrop(source, destination);
        break;
      }
      case "upload_file":
        await session.uploadFiles(
          await find(params.target as TargetSpec, "target"),
          params.files as string[],
        );
        break;
      case "scroll":
        if (params.target) await session.scrollIntoView(await find(params.target as TargetSpec, "target"));
        else await session.scrollTo({ x: Number(params.x ?? 0), y: Number(params.y ?? 0) });
        break;
      case "execute_script":
        detail = JSON.stringify(
          await session.executeScript(String(params.script), ...((params.args as unknown[]) ?? [])),
        ).slice(0, 500);
        break;
      case "wait": {
        if (params.ms !== undefined) {
          await new Promise((r) => setTimeout(r, Number(params.ms)));
          observeWait("fixed", Number(params.ms), true);
        } else if (params.target) {
          await find(params.target as TargetSpec, "target");
        } else {
          const kind = params.for as "network_idle" | "dom_quiet" | "visual_stability";
          const wait =
            kind === "network_idle"
              ? await waitForNetworkIdle(session, { timeoutMs })
              : kind === "dom_quiet"
                ? await waitForDomQuiescence(session, { timeoutMs })
                : await waitForVisualStability(session, { timeoutMs });
          observeWait(kind, wait.durationMs, wait.success);
          if (!wait.success) throw new StepFailure(wait.reason);
        }
        break;
      }
      case "assert":
        detail = await runAssert(
          { ...params, text: data(params.text), not_text: data(params.not_text), value: data(params.value) },
          timeoutMs,
          find,
          session,
          (ms, ok) => observeWait("assert", ms, ok),
        );
        break;
      default:
        // The step vocabulary grew ahead of this executor (issue 19 brings the rest); refuse, never pass.
        throw new StepFailure(`the action ${step.action} is not supported by this version`, false);
    }
    if (step.expected_outcome) {
      const expected = String(data(step.expected_outcome));
      const ms = await until(
        async () =>
          normalize(await session.pageText()).includes(normalize(expected))
            ? true
            : `expected outcome "${expected}" not shown`,
        timeoutMs,
      );
      observeWait("assert", ms, true);
    }
    // The action has happened: from here on, bookkeeping that fails must not fail the step (a retry would
    // repeat an action that already took effect, such as submitting a form).
    const heal = pendingHeal;
    if (heal) {
      heal.healed.screenshot_after = await session
        .screenshot()
        .then(async (png) => (await ctx.blobs.put(png)).hash)
        .catch(() => undefined);
      observations.push({ type: "LocatorHealed", data: heal.healed });
      pendingHeal = undefined;
    }
    // A passing check changes nothing on the page: the last snapshot still stands for it.
    if (step.action !== "assert" && step.action !== "wait") {
      const captured = await snapshot(ctx, false).catch(() => []);
      observations.push(...captured);
      // The quality checks look at the page state the snapshot recorded; without one there is none to check.
      const snap = captured.find((o) => o.type === "SnapshotCaptured")?.data as Snapshotted | undefined;
      if (snap) {
        observations.push(
          ...(await accessibilityScan(ctx, snap)),
          ...(await performanceOfLoad(ctx, snap)),
          ...(await securityOfPage(ctx)),
          ...(await visualOfPage(ctx, snap)),
        );
      }
      // A quality gate is a verdict on what the step led to, not bookkeeping: it fails the step, once.
      const gate = qualityGate(ctx, observations);
      if (gate) throw new StepFailure(gate, false);
    }
    return {
      observations,
      learned,
      outcome: {
        passed: true,
        duration_ms: Math.round(performance.now() - started),
        detail,
        healing_id: healingId,
      },
    };
  } catch (error) {
    if ((error as Error).name === "BrowserCrashedError") throw error;
    if (pendingHeal) observations.push({ type: "LocatorHealed", data: pendingHeal.healed });
    const shot = await snapshot(ctx, true).catch(() => []);
    observations.push(...shot);
    const screenshot = shot.find((o) => o.type === "SnapshotCaptured")?.data as
      | { screenshot_hash?: string }
      | undefined;
    return {
      observations,
      learned,
      outcome: {
        passed: false,
        duration_ms: Math.round(performance.now() - started),
        error: (error as Error).message.split("\n")[0]!.slice(0, 1000),
        screenshot_hash: screenshot?.screenshot_hash,
        healing_id: healingId,
        ...(error instanceof StepFailure && !error.retriable ? { retriable: false } : {}),
      },
    };
  }
}

async function runAssert(
  params: Record<string, unknown>,
  timeoutMs: number,
  find: (spec: TargetSpec, role: Role) => Promise<Target>,
  session: BrowserSession,
  observe: (ms: number, ok: boolean) => void,
): Promise<string> {
  const target = params.target ? await find(params.target as TargetSpec, "target") : undefined;
  const textOf = async () => normalize(target ? await session.textOf(target) : await session.pageText());
  let checked = "";
  let ms = 0;
  if (params.text !== undefined) {
    const wanted = normalize(String(params.text));
    ms = await until(
      async () => ((await textOf()).includes(wanted) ? true : `text "${wanted}" not shown`),
      timeoutMs,
    );
    checked = `text "${wanted}" shown`;
  }
  if (params.not_text !== undefined) {
    const unwanted = normalize(String(params.not_text));
    ms = await until(
      async () => (!(await textOf()).includes(unwanted) ? true : `text "${unwanted}" is still shown`),
      timeoutMs,
    );
    checked = `text "${unwanted}" not shown`;
  }
  if (params.url_contains !== undefined) {
    const part = String(params.url_contains);
    ms = await until(async () => {
      const url = await session.currentUrl();
      return url.includes(part) ? true : `URL ${url} does not contain ${part}`;
    }, timeoutMs);
    checked = `URL contains ${part}`;
  }
  if (params.title_contains !== undefined) {
    const part = String(params.title_contains);
    ms = await until(async () => {
      const title = await session.title();
      return title.includes(part) ? true : `title "${title}" does not contain "${part}"`;
    }, timeoutMs);
    checked = `title contains "${part}"`;
  }
  if (params.request !== undefined) {
    const want = params.request as RequestExpectation;
    ms = await until(async () => checkRequest(session, want), timeoutMs);
    checked = `request to ${want.url}${want.status ? ` answered ${want.status}` : ""}${want.json_schema ? " with a valid JSON body" : ""}`;
  }
  if (params.visible !== undefined && target) {
    const want = params.visible === true;
    ms = await until(async () => {
      const state = await session.actionability(target);
      const visible = state.found && state.visible === true;
      return visible === want ? true : `element is ${visible ? "visible" : "not visible"}`;
    }, timeoutMs);
    checked = want ? "element visible" : "element not visible";
  }
  if (params.value !== undefined && target) {
    const want = String(params.value);
    ms = await until(async () => {
      const value = await session.textOf(target);
      return value === want ? true : `value is "${value}", expected "${want}"`;
    }, timeoutMs);
    checked = `value is "${want}"`;
  }
  observe(ms, true);
  return checked;
}

/**
 * Each violation's first node, cropped from the page's screenshot (the snapshot's, or one taken now) into the
 * blob store, for the reports.
 */
async function withNodeCrops(
  ctx: StepContext,
  violations: AccessibilityViolation[],
  screenshotHash?: string,
) {
  const strip = ({ box: _box, ...v }: AccessibilityViolation) => v;
  if (violations.length === 0) return [];
  const shot = screenshotHash
    ? await ctx.blobs.get(screenshotHash).catch(() => undefined)
    : await ctx.session.screenshot().catch(() => undefined);
  return Promise.all(
    violations.map(async (v) => {
      const crop = shot && v.box && v.box.width > 0 && v.box.height > 0 ? cropPng(shot, v.box) : undefined;
      return crop ? { ...strip(v), screenshot_hash: (await ctx.blobs.put(crop)).hash } : strip(v);
    }),
  );
}

export interface QualityGates {
  accessibility?: "serious" | "critical";
  /** page + "\u0000" + rule of accessibility issues earlier runs already had: only new ones fail a run. */
  knownAccessibility?: Set<string>;
  budgets?: boolean;
}

const IMPACT_RANK = { minor: 1, moderate: 2, serious: 3, critical: 4 } as const;

function qualityGate(ctx: StepContext, observations: Observation[]): string | undefined {
  const problems: string[] = [];
  const level = ctx.gates?.accessibility;
  if (level) {
    for (const o of observations) {
      if (o.type !== "AccessibilityScanned") continue;
      const fresh = o.data.violations.filter(
        (v) =>
          v.impact !== null &&
          IMPACT_RANK[v.impact] >= IMPACT_RANK[level] &&
          !ctx.gates?.knownAccessibility?.has(`${o.data.page}\u0000${v.rule}`),
      );
      if (fresh.length)
        problems.push(
          `new accessibility violations on ${o.data.page}: ${fresh.map((v) => `${v.rule} (${v.impact})`).join(", ")}`,
        );
    }
  }
  if (ctx.gates?.budgets) {
    for (const o of observations) {
      if (o.type !== "PerformanceMeasured" || o.data.breaches.length === 0) continue;
      problems.push(
        `performance budget exceeded on ${o.data.page}: ${o.data.breaches.map((b) => `${b.metric} ${b.value} > ${b.budget}`).join(", ")}`,
      );
    }
  }
  return problems.length ? problems.join("; ") : undefined;
}

/**
 * With accessibility in the plan's scope, scans each distinct page state (URL and DOM) once per run. A scan
 * that fails records nothing and never fails the step: the step itself passed.
 */
type Snapshotted = Extract<Observation, { type: "SnapshotCaptured" }>["data"];

async function accessibilityScan(ctx: StepContext, snap: Snapshotted): Promise<Observation[]> {
  if (!ctx.plan.test_scope.includes("accessibility")) return [];
  const key = `${snap.url}#${snap.dom_hash}`;
  if (ctx.scannedPages?.has(key)) return [];
  ctx.scannedPages?.add(key);
  const found = await scanAccessibility(ctx.session).catch(() => undefined);
  if (!found) return [];
  const violations = await withNodeCrops(ctx, found, snap.screenshot_hash);
  return [
    {
      type: "AccessibilityScanned",
      data: { index: ctx.index, url: snap.url, page: pageOf(snap.url), violations },
    },
  ];
}

/** With performance in scope, measures each page load once (a navigation, or a click that loaded a page). */
async function performanceOfLoad(ctx: StepContext, snap: Snapshotted): Promise<Observation[]> {
  if (!ctx.plan.test_scope.includes("performance")) return [];
  const metrics = await measurePage(ctx.session).catch(() => undefined);
  if (!metrics || ctx.measuredLoads?.has(metrics.time_origin)) return [];
  ctx.measuredLoads?.add(metrics.time_origin);
  return [
    {
      type: "PerformanceMeasured",
      data: {
        index: ctx.index,
        url: snap.url,
        page: pageOf(snap.url),
        metrics,
        breaches: breaches(metrics, ctx.budgets ?? DEFAULT_BUDGETS),
      },
    },
  ];
}

/**
 * The first state of each page the run visits: captured as a baseline of one version, and checked for drift
 * against the approved baseline of another. A page without an approved baseline is not checked; a failed
 * capture or check records nothing and never fails the step.
 */
async function visualOfPage(ctx: StepContext, snap: Snapshotted): Promise<Observation[]> {
  const v = ctx.visual;
  if (!v) return [];
  const page = pageOf(snap.url);
  if (v.seen.has(page)) return [];
  v.seen.add(page);
  // One look at the page serves both the capture and the check.
  const screen = await captureScreen(ctx.session).catch(() => undefined);
  if (!screen) return [];
  if (v.capture)
    await v.service
      .capture({ url: snap.url, page, version: v.capture, runId: ctx.runId }, screen)
      .catch(() => undefined);
  if (!v.check) return [];
  const result = await v.service
    .checkIfApproved({ url: snap.url, page, version: v.check, runId: ctx.runId }, screen)
    .catch(() => undefined);
  return result ? [{ type: "DriftDetected", data: { ...result, index: ctx.index } }] : [];
}

/** What a step types for a text: environment values and generated data (seeded by the run) filled in. */
function typedText(ctx: StepContext, stepId: string, raw: string): string {
  return resolveData(resolveText(raw, ctx.env, `step ${stepId}`), ctx.dataSeed ?? ctx.runId, stepId);
}

/** With security in scope, the passive checks after each step that acted; each finding is recorded once a run. */
async function securityOfPage(ctx: StepContext): Promise<Observation[]> {
  if (!ctx.plan.test_scope.includes("security")) return [];
  // What the run typed into this page, secrets excepted: input that comes back as markup is an injection.
  // Compared as the steps typed them: generated data and environment values resolved with the run's seed.
  // A value from the environment is shown in findings as its template, never as the value.
  const typed = allSteps(ctx.plan)
    .map(({ step }) => step)
    .filter((s) => s.action === "type" && !s.params.secret && typeof s.params.text === "string")
    .flatMap((s) => {
      const raw = String(s.params.text);
      try {
        const value = typedText(ctx, s.step_id, raw);
        return [{ value, shown: raw.includes("${env:") ? raw : value }];
      } catch {
        return [];
      }
    });
  const checked = await passiveSecurityChecks(ctx.session, typed).catch(() => undefined);
  if (!checked) return [];
  const page = pageOf(checked.url);
  const fresh = checked.findings.filter((f) => {
    const key = `${page}\u0000${f.rule}\u0000${f.detail}`;
    if (ctx.securitySeen?.has(key)) return false;
    ctx.securitySeen?.add(key);
    return true;
  });
  if (fresh.length === 0) return [];
  return [{ type: "SecurityChecked", data: { index: ctx.index, url: checked.url, page, findings: fresh } }];
}

/** What went wrong on the page so far, for the report: console errors, JS exceptions, failed requests. */
function pageProblems(state: StateSnapshot) {
  const consoleErrors = [...consoleErrorsOf(state), ...state.jsErrors.map((e) => e.message)]
    .slice(-20)
    .map((t) => t.slice(0, 300));
  const failed = failedRequestsOf(state)
    .slice(-20)
    .map((r) => ({
      url: r.url.slice(0, 500),
      method: r.method,
      ...(r.status !== undefined ? { status: r.status } : {}),
      ...(r.failure ? { failure: r.failure.slice(0, 200) } : {}),
    }));
  return {
    ...(consoleErrors.length ? { console_errors: consoleErrors } : {}),
    ...(failed.length ? { failed_requests: failed } : {}),
  };
}

/** Captures and stores the page's state after a step; the screenshot on failure, or always if configured. */
async function snapshot(ctx: StepContext, failed: boolean): Promise<Observation[]> {
  if (!ctx.snapshots) return [];
  const withScreenshot = failed || ctx.screenshots === "all";
  const capture = () =>
    captureSnapshot(ctx.session, {
      runId: ctx.runId,
      stepId: ctx.step.step_id,
      executedSteps: ctx.executedSteps,
      blobs: withScreenshot ? ctx.blobs : undefined,
      secrets: typedSecrets(ctx.plan, ctx.secrets, ctx.env),
    });
  let state: Awaited<ReturnType<typeof capture>> | undefined;
  for (let attempt = 0; !state; attempt++) {
    try {
      state = await capture();
    } catch (error) {
      // The step started a navigation: let it land, then look again.
      if (attempt >= 3 || (error as Error).name === "BrowserCrashedError") throw error;
      await ctx.session.waitForNavigation({ timeoutMs: 10_000 }).catch(() => {});
    }
  }
  // The blob only: td_snapshot_index is a projection of SnapshotCaptured, kept off the step's hot path.
  const hash = await ctx.snapshots.put(state);
  return [
    {
      type: "SnapshotCaptured",
      data: {
        index: ctx.index,
        snapshot_hash: hash,
        screenshot_hash: state.screenshotHash,
        url: state.url,
        title: state.pageTitle,
        dom_hash: state.domHash,
        ...pageProblems(state),
      },
    },
  ];
}
