import type { RunReport } from "./run-report/report.js";

const html = (s: unknown) => String(s ?? "").replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * One self-contained HTML file: screenshots inline as data URIs, no external request. Failures first,
 * then the timeline of every step; heals with their before and after; a filter by status.
 */
export async function renderHtml(
  report: RunReport,
  image: (hash: string) => Promise<Buffer | undefined>,
): Promise<string> {
  const img = async (hash: string | null, alt: string) => {
    if (!hash) return "";
    const bytes = await image(hash);
    return bytes ? `<img alt="${html(alt)}" src="data:image/png;base64,${bytes.toString("base64")}">` : "";
  };
  const max = Math.max(1, ...report.steps.map((s) => s.duration_ms ?? 0));
  const rows = await Promise.all(
    report.steps.map(
      async (s) => `<tr class="step" data-status="${s.status}">
  <td>${s.index + 1}</td><td><span class="badge ${s.status}">${s.status}</span></td>
  <td>${html(s.description)}${s.error ? `<div class="error">${html(s.error)}</div>` : ""}${s.detail ? `<div class="detail">${html(s.detail)}</div>` : ""}</td>
  <td>${s.strategy ? `${html(s.strategy)} <small>${s.confidence}</small>` : ""}</td>
  <td class="num">${s.duration_ms ?? ""}<div class="bar" style="width:${Math.round(((s.duration_ms ?? 0) / max) * 100)}%"></div></td>
  <td>${s.status === "failed" ? await img(s.screenshot, `step ${s.index + 1}`) : ""}</td>
</tr>`,
    ),
  );
  const failures = report.failures.length
    ? `<section id="failures"><h2>Failures</h2>${(
        await Promise.all(
          report.failures.map(
            async (f) =>
              `<div class="failure"><h3>Step ${f.index + 1}: ${html(report.steps[f.index]?.description)}</h3><pre>${html(f.error)}</pre>${await img(f.screenshot, `failure at step ${f.index + 1}`)}</div>`,
          ),
        )
      ).join("")}</section>`
    : "";
  const heals = report.heals.length
    ? `<section id="heals"><h2>Heals</h2>${(
        await Promise.all(
          report.heals.map(
            async (
              h,
            ) => `<div class="heal"><h3>${html(h.step_id)}: <code>${html(h.old_locator?.selector ?? "?")}</code> → <code>${html(h.new_locator.selector)}</code></h3>
<p>${html(h.method)}, confidence ${h.confidence}, <b>${html(h.decision.replace("_", " "))}</b>${h.successful === true ? ", verified by the next check" : h.successful === false ? ', <span class="error">led to a failed check</span>' : ""}${h.review ? `, ${h.review.approved ? "approved" : "rejected"} by ${html(h.review.reviewer)}` : ""}</p>
<div class="pair"><figure>${await img(h.screenshot_before, "before the heal")}<figcaption>before</figcaption></figure><figure>${await img(h.screenshot_after, "after the heal")}<figcaption>after</figcaption></figure></div></div>`,
          ),
        )
      ).join("")}</section>`
    : "";
  const problems = [
    ...report.console_errors.map((e) => `<li>console: ${html(e)}</li>`),
    ...report.network_failures.map(
      (r) =>
        `<li>${html(r.method)} ${html(r.url)}: ${html(r.status !== undefined ? String(r.status) : (r.failure ?? "failed"))}</li>`,
    ),
  ];
  const a11yItems = await Promise.all(
    report.accessibility_issues.map(
      async (i) =>
        `<li><strong>${html(i.impact ?? "")}</strong> ${html(i.rule)} on ${html(i.page)} (WCAG ${html(i.wcag.join(", "))}): ${html(i.help)} — ${html(i.targets.join(", "))}${await img(i.screenshot_hash ?? null, `${i.rule} on ${i.page}`)}</li>`,
    ),
  );
  const a11y = a11yItems.length
    ? `<section id="accessibility"><h2>Accessibility (WCAG 2.1 A/AA)</h2><ul>${a11yItems.join("")}</ul></section>`
    : "";
  const perf = report.performance.length
    ? `<section id="performance"><h2>Performance</h2><table><tr><th>Page</th><th>TTFB</th><th>FCP</th><th>LCP</th><th>CLS</th><th>TBT</th><th>TTI (est.)</th><th>Bytes</th></tr>${report.performance
        .map(
          (p) =>
            `<tr${p.breaches.length ? ' class="breach"' : ""}><td>${html(p.page)}</td><td>${p.ttfb_ms} ms</td><td>${p.fcp_ms ?? "–"} ms</td><td>${p.lcp_ms ?? "–"} ms</td><td>${p.cls}</td><td>${p.tbt_ms} ms</td><td>${p.tti_ms} ms</td><td>${p.transfer_bytes}</td></tr>`,
        )
        .join("")}</table></section>`
    : "";
  const security = report.security_findings.length
    ? `<section id="security"><h2>Security (passive checks)</h2><ul>${report.security_findings
        .map(
          (f) =>
            `<li><strong>${html(f.severity)}</strong> ${html(f.rule)} on ${html(f.page)} (${html(f.owasp)}): ${html(f.detail)}</li>`,
        )
        .join("")}</ul></section>`
    : "";
  const drift = report.drift.length
    ? `<section id="drift"><h2>Visual drift against the baselines</h2><ul>${report.drift
        .map(
          (d) =>
            `<li><strong>${html(d.severity)}</strong> ${html(d.page)} (similarity ${d.similarity.toFixed(3)}): ${html(d.description)}</li>`,
        )
        .join("")}</ul></section>`
    : "";
  const pageProblems = problems.length
    ? `<section id="page-problems"><h2>Console errors and network failures</h2><ul>${problems.join("")}</ul></section>`
    : "";
  const warnings = report.warnings.length
    ? `<section id="warnings"><h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${html(w.message)}</li>`).join("")}</ul></section>`
    : "";
  const statuses = [...new Set(report.steps.map((s) => s.status))];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${html(report.plan?.name ?? "Run")} · ${html(report.status)} · TestDriver</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#222;padding:0 1rem}
h1{margin:0}.meta{color:#555}.badge{padding:.1rem .5rem;border-radius:.6rem;font-size:12px;color:#fff;background:#888}
.passed{background:#2a7}.healed{background:#27a}.failed,.error-status{background:#c33}.skipped,.pending{background:#999}.stopped{background:#a70}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;vertical-align:top;text-align:left}
.num{text-align:right;width:7rem}.bar{height:4px;background:#27a;margin-top:3px}.error{color:#b00;white-space:pre-wrap}
.detail{color:#555;font-size:12px}img{max-width:100%;border:1px solid #ccc}.pair{display:flex;gap:1rem}.pair figure{flex:1;margin:0}
.filters button{margin-right:.3rem}.filters button[aria-pressed=true]{font-weight:bold;outline:2px solid #27a}
</style></head><body>
<header><h1>${html(report.plan?.name ?? "Run")} <span class="badge ${report.status === "error" ? "error-status" : html(report.status)}">${html(report.status)}</span></h1>
<p class="meta">Run ${html(report.run_id)} · ${html(report.plan?.application_url)}${report.application_version ? ` · version ${html(report.application_version)}` : ""} · ${html(report.driver)} · ${report.duration_ms ?? 0} ms ·
${report.summary.passed} passed, ${report.summary.healed} healed, ${report.summary.failed} failed, ${report.summary.skipped} skipped</p>
${report.error ? `<p class="error">${html(report.error)}</p>` : ""}</header>
${failures}${warnings}${a11y}${security}${perf}${drift}${pageProblems}${heals}
<section id="timeline"><h2>Steps</h2>
<div class="filters" role="group" aria-label="Filter by status"><button type="button" data-filter="all" aria-pressed="true">All</button>${statuses.map((s) => `<button type="button" data-filter="${s}" aria-pressed="false">${s}</button>`).join("")}</div>
<table><thead><tr><th>#</th><th>Status</th><th>Step</th><th>Located by</th><th class="num">ms</th><th>Screenshot</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table></section>
<script>
for (const button of document.querySelectorAll("[data-filter]")) {
  button.addEventListener("click", () => {
    const filter = button.dataset.filter;
    for (const b of document.querySelectorAll("[data-filter]")) b.setAttribute("aria-pressed", String(b === button));
    for (const row of document.querySelectorAll("tr.step")) row.hidden = filter !== "all" && row.dataset.status !== filter;
  });
}
</script>
</body></html>
`;
}
