import { stepEvidence } from "../step-evidence.js";
import type { RunDetails } from "./details.js";

export const REPORT_SCHEMA_VERSION = 1;

/** Each rule broken on each page once, with where it was first seen in the run (WCAG 2.1 A/AA, axe-core). */
function accessibilityIssues(state: RunDetails) {
  const issues = new Map<
    string,
    {
      rule: string;
      impact: string | null;
      wcag: string[];
      help: string;
      help_url: string;
      page: string;
      url: string;
      step_index: number;
      targets: string[];
      screenshot_hash?: string;
    }
  >();
  for (const scan of state.accessibility) {
    for (const v of scan.violations) {
      const key = `${scan.page}\u0000${v.rule}`;
      const seen = issues.get(key);
      if (seen) seen.targets = [...new Set([...seen.targets, ...v.targets])].slice(0, 20);
      else issues.set(key, { ...v, page: scan.page, url: scan.url, step_index: scan.index });
    }
  }
  return [...issues.values()];
}

/**
 * A run's report (spec §4.2 TestReport) from its details: steps with timing, status, strategy and
 * confidence, failures, warnings and heals. Pure; the read side renders it as JSON, HTML and JUnit.
 */
export function buildRunReport(state: RunDetails) {
  const plan = state.plan;
  const steps = state.steps.map((s) => {
    const target = s.located.find((l) => l.role === "target") ?? s.located[0];
    const heal = s.healing_id ? state.healings[s.healing_id] : undefined;
    const snapshot = [...state.snapshots].reverse().find((snap) => snap.index === s.index);
    return {
      index: s.index,
      step_id: s.step_id,
      phase: s.phase,
      action: s.action,
      description: s.description,
      status: s.status,
      attempts: s.attempts,
      duration_ms: s.duration_ms ?? null,
      strategy: target?.strategy ?? null,
      confidence: target?.confidence ?? null,
      locator: target?.locator ?? null,
      detail: s.detail ?? null,
      error: s.error ?? null,
      screenshot: s.screenshot_hash ?? snapshot?.screenshot_hash ?? null,
      snapshot: snapshot?.snapshot_hash ?? null,
      healing_id: heal?.healing_id ?? null,
      ...stepEvidence(state, s),
    };
  });
  const executed = steps.filter((s) => s.status !== "pending" && s.status !== "skipped");
  const passed = steps.filter((s) => s.status === "passed" || s.status === "healed").length;
  const warnings = [
    ...state.unparsed.map((sentence) => ({
      kind: "unparsed_requirement",
      message: `not understood: ${sentence}`,
    })),
    ...state.steps
      .filter((s) => s.status === "failed" && !s.critical)
      .map((s) => ({ kind: "non_critical_failure", message: `${s.step_id}: ${s.error}` })),
    ...state.performance.flatMap((p) =>
      p.breaches.map((b) => ({
        kind: "performance_budget",
        message: `${p.page}: ${b.metric} ${b.value} over the budget of ${b.budget}`,
      })),
    ),
    ...state.drift
      .filter((d) => d.severity !== "none" && d.severity !== "cosmetic")
      .map((d) => ({ kind: "visual_drift", message: `${d.page}: ${d.severity} drift: ${d.description}` })),
    ...Object.values(state.healings)
      // An auto-committed heal no check proved needs a person as much as a proposal does.
      .filter(
        (h) =>
          !h.review &&
          (h.decision === "propose" ||
            h.decision === "manual_review" ||
            (h.decision === "auto_commit" && h.successful === undefined)),
      )
      .map((h) => ({
        kind: "heal_needs_review",
        message: `${h.step_id}: heal ${h.healing_id} (${h.decision}${h.successful === undefined ? ", unverified" : ""}, ${h.confidence})`,
      })),
  ];
  return {
    schema_version: REPORT_SCHEMA_VERSION,
    run_id: state.run_id,
    status: state.status,
    plan: plan
      ? {
          plan_id: plan.plan_id,
          plan_version: plan.plan_version,
          name: plan.name,
          application_url: plan.application_url,
        }
      : null,
    application_version: state.application_version ?? null,
    driver: state.driver ?? null,
    requested_at: state.requested_at ?? null,
    started_at: state.started_at ?? null,
    completed_at: state.completed_at ?? null,
    duration_ms: state.duration_ms ?? null,
    summary: {
      total: steps.length,
      passed,
      failed: steps.filter((s) => s.status === "failed").length,
      skipped: steps.filter((s) => s.status === "skipped").length,
      healed: steps.filter((s) => s.status === "healed").length,
      pass_rate: executed.length === 0 ? 0 : Math.round((passed / executed.length) * 1000) / 1000,
    },
    steps,
    failures: steps
      .filter((s) => s.status === "failed")
      .map((s) => ({ index: s.index, step_id: s.step_id, error: s.error, screenshot: s.screenshot })),
    warnings,
    heals: Object.values(state.healings).map((h) => ({
      healing_id: h.healing_id,
      step_id: h.step_id,
      role: h.role,
      method: h.method,
      confidence: h.confidence,
      decision: h.decision,
      successful: h.successful ?? null,
      verified_reason: h.verified_reason ?? null,
      old_locator: h.old_locator ?? null,
      new_locator: h.new_locator,
      screenshot_before: h.screenshot_before ?? null,
      screenshot_after: h.screenshot_after ?? null,
      review: h.review ?? null,
    })),
    accessibility_issues: accessibilityIssues(state),
    drift: state.drift.map((d) => ({
      page: d.page,
      step_index: d.index ?? null,
      baseline_id: d.baseline_id ?? null,
      severity: d.severity,
      similarity: d.similarity,
      description: d.description,
      recommended_actions: d.recommended_actions,
      screenshot: d.current_screenshot_hash ?? null,
    })),
    security_findings: state.security.flatMap((c) =>
      c.findings.map((f) => ({ ...f, page: c.page, url: c.url, step_index: c.index })),
    ),
    performance: state.performance.map((p) => ({
      index: p.index,
      page: p.page,
      url: p.url,
      ...p.metrics,
      breaches: p.breaches,
    })),
    console_errors: state.console_errors,
    network_failures: state.failed_requests,
    error: state.error ?? null,
  };
}

export type RunReport = ReturnType<typeof buildRunReport>;
