import { duration, html, raw, type Safe } from "../web/ui/html.js";
import type { Shot } from "../web/ui/model.js";
import { distinctShots, screenshot, shotDefinition } from "../web/ui/shot.js";
import { badge, stepCard, stepSummary } from "../web/ui/step.js";
import { STYLES } from "../web/ui/styles.js";
import { confidenceLabel, decisionWords } from "../web/ui/words.js";
import type { RunReport } from "./run-report/report.js";
import { type ArtifactReader, buildRunTimeline, pngShot } from "./run-timeline.js";

const section = (id: string, title: string, body: Safe | string) =>
  html`<section id="${id}"><h2>${title}</h2>${typeof body === "string" ? raw(body) : body}</section>`;

/** Heals as people read them: which element, from what to what, how sure, and what to do about it. */
function healsSection(report: RunReport, shots: Map<string, Shot | null>) {
  if (!report.heals.length) return "";
  const described = (stepId: string) => report.steps.find((s) => s.step_id === stepId)?.description ?? stepId;
  return section(
    "heals",
    "Heals",
    html`${report.heals.map((h) => {
      const now = report.steps
        .find((s) => s.healing_id === h.healing_id)
        ?.elements.find((e) => e.role === h.role);
      const before = shots.get(h.screenshot_before ?? "");
      const after = shots.get(h.screenshot_after ?? "");
      return html`<div class="step-card heal"><h3>${described(h.step_id)}: <code>${h.old_locator?.selector ?? "?"}</code> → <code>${h.new_locator.selector}</code></h3>
<p>Confidence ${confidenceLabel(h.confidence)}; ${decisionWords(h.decision)}. ${h.successful === true ? "Verified: a check naming the element passed." : h.successful === false ? html`<span class="error">The next check failed: the heal was not learned.</span>` : h.decision === "auto_commit" || h.decision === "propose" ? "Unverified: no check named the element, so nothing proves the right one was used." : ""} ${h.review ? `${h.review.approved ? "Approved" : "Rejected"} by ${h.review.reviewer}.` : h.decision === "propose" || h.decision === "manual_review" ? "Awaiting review: approve or reject it in the console's Heal review, or with testdriver heals review." : ""}</p>
<div class="shots">${before ? html`<figure>${screenshot(before, now ? [{ box: now.box, kind: "now" }] : [], `The page when the heal was made, the element found outlined`, { zoom: 2 })}<figcaption>When healing, <span class="key k-now" aria-hidden="true"></span>the element found</figcaption></figure>` : ""}${after ? html`<figure>${screenshot(after, [], "The page after the healed step")}<figcaption>After the step</figcaption></figure>` : ""}</div></div>`;
    })}`,
  );
}

function qualitySections(report: RunReport, shots: Map<string, Shot | null>) {
  const a11y = report.accessibility_issues.length
    ? section(
        "accessibility",
        "Accessibility (WCAG 2.1 A/AA)",
        html`<ul>${report.accessibility_issues.map((i) => {
          const crop = shots.get(i.screenshot_hash ?? "");
          return html`<li><strong>${i.impact ?? ""}</strong> ${i.rule} on ${i.page} (WCAG ${i.wcag.join(", ")}): ${i.help} — ${i.targets.join(", ")}${crop ? screenshot(crop, [], `${i.rule} on ${i.page}`, { className: "crop" }) : ""}</li>`;
        })}</ul>`,
      )
    : "";
  const security = report.security_findings.length
    ? section(
        "security",
        "Security (passive checks)",
        html`<ul>${report.security_findings.map((f) => html`<li><strong>${f.severity}</strong> ${f.rule} on ${f.page} (${f.owasp}): ${f.detail}</li>`)}</ul>`,
      )
    : "";
  const perf = report.performance.length
    ? section(
        "performance",
        "Performance",
        html`<table><thead><tr><th>Page</th><th class="num">TTFB</th><th class="num">FCP</th><th class="num">LCP</th><th class="num">CLS</th><th class="num">TBT</th><th class="num">TTI (est.)</th><th class="num">Bytes</th></tr></thead><tbody>${report.performance.map(
          (p) =>
            html`<tr${p.breaches.length ? raw(' class="breach"') : ""}><td>${p.page}</td><td class="num">${p.ttfb_ms} ms</td><td class="num">${p.fcp_ms ?? "–"} ms</td><td class="num">${p.lcp_ms ?? "–"} ms</td><td class="num">${p.cls}</td><td class="num">${p.tbt_ms} ms</td><td class="num">${p.tti_ms} ms</td><td class="num">${p.transfer_bytes}</td></tr>`,
        )}</tbody></table>`,
      )
    : "";
  const drift = report.drift.length
    ? section(
        "drift",
        "Visual drift against the baselines",
        html`<ul>${report.drift.map((d) => html`<li>${badge(d.severity)} ${d.page} (similarity ${d.similarity.toFixed(3)}): ${d.description}</li>`)}</ul>`,
      )
    : "";
  const problems = [
    ...report.console_errors.map((e) => html`<li>console: ${e}</li>`),
    ...report.network_failures.map(
      (r) =>
        html`<li>${r.method} ${r.url}: ${r.status !== undefined ? String(r.status) : (r.failure ?? "failed")}</li>`,
    ),
  ];
  const pageProblems = problems.length
    ? section("page-problems", "Console errors and network failures", html`<ul>${problems}</ul>`)
    : "";
  return html`${a11y}${security}${perf}${drift}${pageProblems}`;
}

/** Warnings in words; a heal awaiting review says which element and how to act on it, not its UUID. */
function warningsSection(report: RunReport) {
  const heals = report.heals.filter(
    (h) =>
      !h.review &&
      (h.decision === "propose" ||
        h.decision === "manual_review" ||
        (h.decision === "auto_commit" && h.successful === null)),
  );
  const others = report.warnings.filter((w) => w.kind !== "heal_needs_review");
  const items = [
    ...others.map((w) => html`<li>${w.message}</li>`),
    ...(heals.length
      ? [
          html`<li>${heals.length} heal${heals.length > 1 ? "s" : ""} await${heals.length > 1 ? "" : "s"} a person's review (${heals.map((h) => report.steps.find((s) => s.step_id === h.step_id)?.description ?? h.step_id).join(", ")}): until approved they are used in this run only. Review them in the console (<code>testdriver serve</code>, Heal review) or with <code>testdriver heals review</code>.</li>`,
        ]
      : []),
  ];
  return items.length ? section("warnings", "Warnings", html`<ul>${items}</ul>`) : "";
}

/**
 * One self-contained HTML file: screenshots inline (each once, as data URIs), no external request. Failures
 * first, then warnings and findings, heals, and every step with the page it acted on and its element
 * outlined, drawn by the same components as the console's run view; a filter by status.
 */
export async function renderHtml(report: RunReport, artifact: ArtifactReader): Promise<string> {
  const timeline = await buildRunTimeline(report, artifact);
  const extra = [
    ...report.heals.flatMap((h) => [h.screenshot_before, h.screenshot_after]),
    ...report.failures.map((f) => f.screenshot),
    ...report.accessibility_issues.map((i) => i.screenshot_hash ?? null),
  ];
  const shots = new Map<string, Shot | null>();
  for (const hash of extra) if (hash && !shots.has(hash)) shots.set(hash, await pngShot(hash, artifact));
  const all = distinctShots([...timeline.steps.flatMap((s) => [s.before, s.after]), ...[...shots.values()]]);
  const defs: Safe[] = [];
  for (const shot of all) {
    const bytes = await artifact(shot.hash);
    if (bytes) defs.push(shotDefinition(shot, `data:image/png;base64,${bytes.toString("base64")}`));
  }
  const failures = report.failures.length
    ? section(
        "failures",
        "Failures",
        html`${report.failures.map((f) => {
          const shot = shots.get(f.screenshot ?? "");
          return html`<div class="step-card"><h3>Step ${f.index + 1}: ${report.steps[f.index]?.description}</h3><p class="error">${f.error}</p>${shot ? screenshot(shot, [], `The page when step ${f.index + 1} failed`) : ""}</div>`;
        })}`,
      )
    : "";
  const statuses = [...new Set(report.steps.map((s) => s.status))];
  const steps = section(
    "timeline",
    "Steps",
    html`<div class="filters" role="group" aria-label="Show steps by status"><button type="button" data-filter="all" aria-pressed="true">All</button>${statuses.map(
      (s) => html` <button type="button" data-filter="${s}" aria-pressed="false">${s}</button>`,
    )}</div>
${timeline.steps.map(
  (s) =>
    html`<details class="step" data-status="${s.status}"${s.status === "failed" || s.status === "healed" ? raw(" open") : ""}><summary>${stepSummary(s)}</summary>${stepCard(s)}</details>`,
)}`,
  );
  const title = report.plan?.name ?? "Run";
  const summary = report.summary;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${html`${title} · ${report.status} · TestDriver`}</title>
<style>${STYLES}</style></head><body>
<svg class="defs" aria-hidden="true" focusable="false"><defs>${defs.join("")}</defs></svg>
<main class="report">
${html`<header><h1>${title} ${badge(report.status)}</h1>
<p class="meta">Run <code>${report.run_id}</code> · ${report.plan?.application_url}${report.application_version ? ` · version ${report.application_version}` : ""} · ${report.driver} · ${duration(report.duration_ms)} ·
${summary.passed} passed (${summary.healed} of them healed), ${summary.failed} failed, ${summary.skipped} skipped</p>
${report.error ? html`<p class="error">${report.error}</p>` : ""}</header>`}
${failures}${warningsSection(report)}${qualitySections(report, shots)}${healsSection(report, shots)}${steps}
</main>
<script>
for (const button of document.querySelectorAll("[data-filter]")) {
  button.addEventListener("click", () => {
    const filter = button.dataset.filter;
    for (const b of document.querySelectorAll("[data-filter]")) b.setAttribute("aria-pressed", String(b === button));
    for (const step of document.querySelectorAll("details.step")) step.hidden = filter !== "all" && step.dataset.status !== filter;
  });
}
</script>
</body></html>
`;
}
