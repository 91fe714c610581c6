import { pageOf } from "../domain/pages.js";
import type { Fact, ObservedData } from "../domain/run/commands.js";
import { cropPng } from "../domain/vision/crop.js";
import type { LiveRun } from "./live-run.js";
import { type AccessibilityViolation, scanAccessibility } from "./quality/accessibility.js";
import { breaches, DEFAULT_BUDGETS, measurePage } from "./quality/performance.js";
import { passiveSecurityChecks } from "./quality/security.js";
import { captureScreen } from "./screen.js";
import { typedText } from "./typed-text.js";

type Snapshotted = ObservedData<"SnapshotCaptured">;

/**
 * What the quality checks in the plan's scope find on the page a step left, and the visual baselines.
 * Each looks at the state the snapshot recorded; a check that fails records nothing and never fails the
 * step (the gates in `qualityGate` do that, on purpose).
 */
export async function pageFindings(run: LiveRun, index: number, snap: Snapshotted): Promise<Fact[]> {
  return [
    ...(await accessibilityScan(run, index, snap)),
    ...(await performanceOfLoad(run, index, snap)),
    ...(await securityOfPage(run, index)),
    ...(await visualOfPage(run, index, snap)),
  ];
}

/** Each violation's first node, cropped from the page's screenshot into the blob store, for the reports. */
async function withNodeCrops(run: LiveRun, violations: AccessibilityViolation[], screenshotHash?: string) {
  const strip = ({ box: _box, ...v }: AccessibilityViolation) => v;
  if (violations.length === 0) return [];
  const { blobs } = run.services;
  const shot = screenshotHash
    ? await blobs.get(screenshotHash).catch(() => undefined)
    : await run.session.screenshot().catch(() => undefined);
  return Promise.all(
    violations.map(async (v) => {
      const crop = shot && v.box && v.box.width > 0 && v.box.height > 0 ? cropPng(shot, v.box) : undefined;
      return crop ? { ...strip(v), screenshot_hash: (await blobs.put(crop)).hash } : strip(v);
    }),
  );
}

/** With accessibility in scope, each distinct page state (URL and DOM) once per run. */
async function accessibilityScan(run: LiveRun, index: number, snap: Snapshotted): Promise<Fact[]> {
  if (!run.plan.test_scope.includes("accessibility")) return [];
  const key = `${snap.url}#${snap.dom_hash}`;
  if (run.seen.scans.has(key)) return [];
  run.seen.scans.add(key);
  const found = await scanAccessibility(run.session).catch(() => undefined);
  if (!found) return [];
  const violations = await withNodeCrops(run, found, snap.screenshot_hash);
  return [
    { type: "AccessibilityScanned", data: { index, url: snap.url, page: pageOf(snap.url), violations } },
  ];
}

/** With performance in scope, each page load once (a navigation, or a click that loaded a page). */
async function performanceOfLoad(run: LiveRun, index: number, snap: Snapshotted): Promise<Fact[]> {
  if (!run.plan.test_scope.includes("performance")) return [];
  const metrics = await measurePage(run.session).catch(() => undefined);
  if (!metrics || run.seen.loads.has(metrics.time_origin)) return [];
  run.seen.loads.add(metrics.time_origin);
  const broken = breaches(metrics, run.services.budgets ?? DEFAULT_BUDGETS);
  return [
    {
      type: "PerformanceMeasured",
      data: { index, url: snap.url, page: pageOf(snap.url), metrics, breaches: broken },
    },
  ];
}

/**
 * With security in scope, the passive checks; each finding once a run. Input the run typed (the plan as
 * it stands, an agent's steps included; secrets excepted) that comes back as markup is an injection.
 */
async function securityOfPage(run: LiveRun, index: number): Promise<Fact[]> {
  if (!run.plan.test_scope.includes("security")) return [];
  const typed = [...run.plan.setup_steps, ...run.plan.test_steps, ...run.plan.teardown_steps].flatMap((s) => {
    if (s.action !== "type" || s.params.secret || s.params.text === undefined) return [];
    const raw = s.params.text;
    try {
      // An environment value is shown in findings as its template, never as the value.
      return [{ value: typedText(run, s.step_id, raw), shown: raw.includes("${env:") ? raw : undefined }];
    } catch {
      return [];
    }
  });
  const checked = await passiveSecurityChecks(
    run.session,
    typed.map((t) => ({ value: t.value, shown: t.shown ?? t.value })),
  ).catch(() => undefined);
  if (!checked) return [];
  const page = pageOf(checked.url);
  const fresh = checked.findings.filter((f) => {
    const key = `${page}\u0000${f.rule}\u0000${f.detail}`;
    if (run.seen.findings.has(key)) return false;
    run.seen.findings.add(key);
    return true;
  });
  if (fresh.length === 0) return [];
  return [{ type: "SecurityChecked", data: { index, url: checked.url, page, findings: fresh } }];
}

/**
 * The first state of each page the run visits: captured as a baseline of one version, checked against the
 * approved baseline of another. A page without an approved baseline is not checked.
 */
async function visualOfPage(run: LiveRun, index: number, snap: Snapshotted): Promise<Fact[]> {
  const v = run.visual;
  if (!v) return [];
  const page = pageOf(snap.url);
  if (v.seen.has(page)) return [];
  v.seen.add(page);
  // One look at the page serves both the capture and the check.
  const screen = await captureScreen(run.session).catch(() => undefined);
  if (!screen) return [];
  const where = { url: snap.url, page, runId: run.runId };
  if (v.capture) await v.service.capture({ ...where, version: v.capture }, screen).catch(() => undefined);
  if (!v.check) return [];
  const result = await v.service
    .checkIfApproved({ ...where, version: v.check }, screen)
    .catch(() => undefined);
  return result ? [{ type: "DriftDetected", data: { ...result, index } }] : [];
}

const IMPACT_RANK = { minor: 1, moderate: 2, serious: 3, critical: 4 } as const;

/** A quality gate's verdict on what the step led to: why it fails the step, or nothing. */
export function qualityGate(run: LiveRun, found: Fact[]): string | undefined {
  const problems: string[] = [];
  const gates = run.services.gates;
  const level = gates?.accessibility;
  for (const o of found) {
    if (level && o.type === "AccessibilityScanned") {
      const d = o.data;
      const fresh = d.violations.filter(
        (v) =>
          v.impact !== null &&
          IMPACT_RANK[v.impact] >= IMPACT_RANK[level] &&
          !run.knownAccessibility?.has(`${d.page}\u0000${v.rule}`),
      );
      if (fresh.length)
        problems.push(
          `new accessibility violations on ${d.page}: ${fresh.map((v) => `${v.rule} (${v.impact})`).join(", ")}`,
        );
    }
    if (gates?.budgets && o.type === "PerformanceMeasured") {
      const d = o.data;
      if (d.breaches.length > 0)
        problems.push(
          `performance budget exceeded on ${d.page}: ${d.breaches.map((b) => `${b.metric} ${b.value} > ${b.budget}`).join(", ")}`,
        );
    }
  }
  return problems.length ? problems.join("; ") : undefined;
}
