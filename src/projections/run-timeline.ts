import type { Finding, RunTimeline, Shot, TimelineHeal, TimelineStep } from "../web/ui/model.js";
import { confidenceLabel, decisionWords, foundShort, foundWords } from "../web/ui/words.js";
import type { RunReport } from "./run-report/report.js";

/** Reads an artifact (a screenshot or a snapshot) by content hash; undefined when it is not there. */
export type ArtifactReader = (hash: string) => Promise<Buffer | undefined>;

interface SnapshotJson {
  viewport?: { width: number; height: number };
  consoleLogs?: { level: string; text: string; timestamp?: number }[];
  jsErrors?: { message: string; timestamp?: number }[];
  recentResponses?: { url: string; method: string; status?: number; failure?: string; durationMs?: number }[];
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

/** A screenshot with its size from the PNG header (a screenshot not taken with a snapshot). */
export async function pngShot(
  hash: string | null,
  artifact: ArtifactReader,
  url?: (hash: string) => string,
): Promise<Shot | null> {
  if (!hash) return null;
  const bytes = await artifact(hash);
  if (!bytes || bytes.length < 24 || !bytes.subarray(0, 4).equals(PNG)) return null;
  return {
    hash,
    width: bytes.readUInt32BE(16),
    height: bytes.readUInt32BE(20),
    ...(url ? { url: url(hash) } : {}),
  };
}

/** The viewport a snapshot recorded: the CSS-pixel space of its screenshot and of element boxes. */
export async function snapshotViewport(hash: string | null, artifact: ArtifactReader) {
  if (!hash) return undefined;
  try {
    const bytes = await artifact(hash);
    return bytes ? (JSON.parse(bytes.toString("utf8")) as SnapshotJson).viewport : undefined;
  } catch {
    return undefined;
  }
}

/** Entries of `now` that `before` did not hold (as many times): what appeared in between. */
function added<T>(before: T[], now: T[]): T[] {
  const seen = new Map<string, number>();
  for (const x of before) seen.set(JSON.stringify(x), (seen.get(JSON.stringify(x)) ?? 0) + 1);
  return now.filter((x) => {
    const n = seen.get(JSON.stringify(x)) ?? 0;
    if (n > 0) seen.set(JSON.stringify(x), n - 1);
    return n === 0;
  });
}

function findingsAt(report: RunReport, index: number): Finding[] {
  return [
    ...report.accessibility_issues
      .filter((i) => i.step_index === index)
      .map((i) => ({
        kind: "accessibility" as const,
        severity: i.impact ?? "unknown",
        title: `${i.rule} (WCAG ${i.wcag.join(", ") || "best practice"})`,
        detail: `${i.help}: ${i.targets.join(", ")}`,
      })),
    ...report.security_findings
      .filter((f) => f.step_index === index)
      .map((f) => ({
        kind: "security" as const,
        severity: f.severity,
        title: `${f.rule} (${f.owasp})`,
        detail: f.detail,
      })),
    ...report.performance
      .filter((p) => p.index === index)
      .map((p) => ({
        kind: "performance" as const,
        severity: p.breaches.length ? "over budget" : "within budget",
        title: `page load of ${p.page}`,
        detail: `TTFB ${p.ttfb_ms} ms, FCP ${p.fcp_ms ?? "–"} ms, LCP ${p.lcp_ms ?? "–"} ms, CLS ${p.cls}, TBT ${p.tbt_ms} ms${p.breaches.length ? `; over budget: ${p.breaches.map((b) => `${b.metric} ${b.value} > ${b.budget}`).join(", ")}` : ""}`,
      })),
    ...report.drift
      .filter((d) => d.step_index === index)
      .map((d) => ({
        kind: "drift" as const,
        severity: d.severity,
        title: `${d.severity} drift on ${d.page} (similarity ${d.similarity.toFixed(3)})`,
        detail: d.description,
      })),
  ];
}

function healOf(report: RunReport, healingId: string | null): TimelineHeal | null {
  const h = report.heals.find((x) => x.healing_id === healingId);
  if (!h) return null;
  return {
    healing_id: h.healing_id,
    decision: h.decision,
    decision_words: decisionWords(h.decision),
    confidence: h.confidence,
    confidence_words: confidenceLabel(h.confidence),
    method: h.method,
    old_locator: h.old_locator?.selector ?? null,
    new_locator: h.new_locator.selector,
    successful: h.successful,
    review: h.review,
  };
}

/**
 * The run's steps as the console and the HTML report show them: per step the page it acted on with its
 * elements outlined, how each was found in words, the page after, waits, the console messages and network
 * exchanges that appeared meanwhile, and the quality findings first seen there. Built from the report's data.
 */
export async function buildRunTimeline(
  report: RunReport,
  artifact: ArtifactReader,
  url?: (hash: string) => string,
): Promise<RunTimeline> {
  const snapshots = new Map<string, SnapshotJson | undefined>();
  const snapshot = async (hash: string | null) => {
    if (!hash) return undefined;
    if (!snapshots.has(hash)) {
      const bytes = await artifact(hash);
      let parsed: SnapshotJson | undefined;
      try {
        parsed = bytes ? (JSON.parse(bytes.toString("utf8")) as SnapshotJson) : undefined;
      } catch {
        parsed = undefined;
      }
      snapshots.set(hash, parsed);
    }
    return snapshots.get(hash);
  };
  const shot = async (hash: string | null, snap: string | null): Promise<Shot | null> => {
    if (!hash) return null;
    const viewport = (await snapshot(snap))?.viewport;
    if (viewport)
      return { hash, width: viewport.width, height: viewport.height, ...(url ? { url: url(hash) } : {}) };
    return pngShot(hash, artifact, url);
  };

  const steps: TimelineStep[] = [];
  let previous: SnapshotJson | undefined;
  for (const s of report.steps) {
    const heal = healOf(report, s.healing_id);
    const after = await snapshot(s.snapshot);
    const consoleNow = [
      ...(after?.consoleLogs ?? []).map((c) => ({ level: c.level, text: c.text, t: c.timestamp })),
      ...(after?.jsErrors ?? []).map((e) => ({ level: "exception", text: e.message, t: e.timestamp })),
    ];
    const consoleBefore = [
      ...(previous?.consoleLogs ?? []).map((c) => ({ level: c.level, text: c.text, t: c.timestamp })),
      ...(previous?.jsErrors ?? []).map((e) => ({ level: "exception", text: e.message, t: e.timestamp })),
    ];
    const healedRole = report.heals.find((h) => h.healing_id === s.healing_id)?.role;
    const located = s.elements.map((e) => {
      const how = {
        strategy: e.strategy,
        confidence: e.confidence,
        name: e.name,
        healed: heal !== null && e.role === healedRole,
        method: heal?.method,
      };
      return { ...e, words: foundWords(how), short: foundShort(how) };
    });
    steps.push({
      index: s.index,
      step_id: s.step_id,
      phase: s.phase,
      action: s.action,
      description: s.description,
      status: s.status,
      attempts: s.attempts,
      duration_ms: s.duration_ms,
      error: s.error,
      detail: s.detail,
      elements: located,
      heal,
      before: located.length ? await shot(s.screenshot_before, s.snapshot_before) : null,
      after: await shot(s.screenshot, s.snapshot),
      waits: s.waits,
      console: after ? added(consoleBefore, consoleNow).map(({ level, text }) => ({ level, text })) : [],
      network: after
        ? added(previous?.recentResponses ?? [], after.recentResponses ?? []).map((r) => ({
            method: r.method,
            url: r.url,
            ...(r.status !== undefined ? { status: r.status } : {}),
            ...(r.failure ? { failure: r.failure } : {}),
            ...(r.durationMs !== undefined ? { duration_ms: Math.round(r.durationMs) } : {}),
          }))
        : [],
      findings: findingsAt(report, s.index),
    });
    if (after) previous = after;
  }
  return { run_id: report.run_id ?? null, status: report.status, steps };
}
