import type { RunReport } from "./run-report/report.js";

const xml = (s: unknown) =>
  String(s ?? "").replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!,
  );
const seconds = (ms: number | null) => ((ms ?? 0) / 1000).toFixed(3);

/** JUnit XML as CI systems read it: a suite per run, a test case per step. */
export function renderJUnit(report: RunReport): string {
  const name = report.plan?.name ?? `run ${report.run_id}`;
  const classname = report.plan?.plan_id ?? "testdriver";
  const cases = report.steps.map((step) => {
    const body =
      step.status === "failed"
        ? `<failure message="${xml(step.error)}" type="StepFailed">${xml(step.error)}</failure>`
        : step.status === "skipped" || step.status === "pending"
          ? `<skipped message="${xml(step.status === "pending" ? "not run" : "skipped after a critical failure")}"/>`
          : "";
    const out = [
      step.strategy ? `located by ${step.strategy} (confidence ${step.confidence})` : "",
      step.status === "healed" ? "healed" : "",
      step.detail ?? "",
    ]
      .filter(Boolean)
      .join("; ");
    return `    <testcase classname="${xml(classname)}" name="${xml(`${step.index + 1}. ${step.description}`)}" time="${seconds(step.duration_ms)}">${body}${out ? `<system-out>${xml(out)}</system-out>` : ""}</testcase>`;
  });
  const properties = [
    ["run_id", report.run_id],
    ["status", report.status],
    ["plan_version", report.plan?.plan_version],
    ["application_url", report.plan?.application_url],
    ["application_version", report.application_version],
    ["driver", report.driver],
    ["healed", report.summary.healed],
  ]
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `      <property name="${k}" value="${xml(v)}"/>`);
  const heals = report.heals.map(
    (h) =>
      `heal ${h.step_id}: ${h.old_locator?.selector ?? "?"} -> ${h.new_locator.selector} (${h.decision}, ${h.confidence})`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="TestDriver" tests="${report.summary.total}" failures="${report.summary.failed}" skipped="${report.summary.skipped}" time="${seconds(report.duration_ms)}">
  <testsuite name="${xml(name)}" tests="${report.summary.total}" failures="${report.summary.failed}" errors="${report.status === "error" ? 1 : 0}" skipped="${report.summary.skipped}" time="${seconds(report.duration_ms)}" timestamp="${xml(report.started_at ?? report.requested_at ?? "")}">
    <properties>
${properties.join("\n")}
    </properties>
${cases.join("\n")}
    <system-out>${xml(
      [
        ...heals,
        ...report.accessibility_issues.map(
          (i) =>
            `accessibility: ${i.impact ?? "?"} ${i.rule} on ${i.page} (WCAG ${i.wcag.join(", ")}): ${i.targets.join(", ")}`,
        ),
        ...report.security_findings.map(
          (f) => `security: ${f.severity} ${f.rule} on ${f.page} (${f.owasp}): ${f.detail}`,
        ),
        ...report.drift.map((d) => `drift: ${d.severity} on ${d.page}: ${d.description}`),
        ...report.performance.map(
          (p) =>
            `performance ${p.page}: ttfb ${p.ttfb_ms} ms, fcp ${p.fcp_ms ?? "-"} ms, lcp ${p.lcp_ms ?? "-"} ms, cls ${p.cls}, tbt ${p.tbt_ms} ms, tti ${p.tti_ms} ms${p.breaches.length ? ` (over budget: ${p.breaches.map((b) => b.metric).join(", ")})` : ""}`,
        ),
        ...report.console_errors.map((e) => `console error: ${e}`),
        ...report.network_failures.map((r) =>
          `network failure: ${r.method} ${r.url} ${r.status ?? r.failure ?? ""}`.trim(),
        ),
        ...(report.error ? [`error: ${report.error}`] : []),
      ].join("\n"),
    )}</system-out>
  </testsuite>
</testsuites>
`;
}
