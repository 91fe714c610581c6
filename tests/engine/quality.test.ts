import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validatePlan, validateStep } from "../../src/domain/plan/parse.js";
import { pagePerformance } from "../../src/projections/page-performance.js";
import { READ_MODELS } from "../../src/projections/read-models.js";
import { renderHtml } from "../../src/projections/render-html.js";
import { renderJUnit } from "../../src/projections/render-junit.js";
import { buildRunReport } from "../../src/projections/run-report/report.js";
import { ProjectionRunner } from "../../src/projections/runner.js";
import { browsersAvailable } from "../support/browsers.js";
import { type Harness, harness } from "../support/engine.js";
import { type FixtureServer, startFixtureServer } from "../support/fixture-server.js";

const plan = (origin: string, scope: ("functional" | "accessibility")[]) =>
  validatePlan({
    plan_id: `a11y-${scope.length}`,
    name: "Orders pages",
    application_url: origin,
    test_scope: scope,
    test_steps: [
      { action: "navigate", params: { url: "/a11y-bad.html" } },
      { action: "assert", params: { text: "Orders" } },
      { action: "scroll", params: { y: 0 } },
      { action: "navigate", params: { url: "/a11y-good.html" } },
      { action: "assert", params: { text: "Readable note" } },
    ],
  });

describe.runIf(browsersAvailable)("accessibility in a run's scope", () => {
  let h: Harness;
  let fixtures: FixtureServer;
  beforeAll(async () => {
    h = await harness();
    fixtures = await startFixtureServer();
  });
  afterAll(async () => {
    await h?.close();
    await fixtures?.close();
  });

  it("scans each page state once against WCAG 2.1 A/AA: the known violations, none on the clean page, in all reports", async () => {
    // With a screenshot at every step, as the CLI takes them: screenshots must not make a page look new.
    const state = await h
      .engine({ screenshots: "all" })
      .run({ plan: plan(fixtures.origin, ["functional", "accessibility"]) });
    expect(state.status).toBe("passed");
    // The scroll left the DOM as it was: two page states, two scans.
    expect(state.accessibility.map((s) => s.page)).toEqual(["/a11y-bad.html", "/a11y-good.html"]);
    const report = buildRunReport(state);
    expect(report.accessibility_issues.map((i) => [i.page, i.rule, i.impact])).toEqual([
      ["/a11y-bad.html", "button-name", "critical"],
      ["/a11y-bad.html", "color-contrast", "serious"],
      ["/a11y-bad.html", "html-has-lang", "serious"],
      ["/a11y-bad.html", "image-alt", "critical"],
      ["/a11y-bad.html", "label", "critical"],
    ]);
    expect(report.accessibility_issues.find((i) => i.rule === "image-alt")).toMatchObject({
      wcag: ["1.1.1"],
      targets: ["img"],
    });
    expect(renderJUnit(report)).toContain(
      "accessibility: critical image-alt on /a11y-bad.html (WCAG 1.1.1): img",
    );
    // Each issue carries a crop of the page's screenshot around its node, which the HTML report shows inline.
    const crop = report.accessibility_issues.find((i) => i.rule === "image-alt")!.screenshot_hash!;
    expect((await h.blobs.get(crop)).subarray(1, 4).toString()).toBe("PNG");
    const page = await renderHtml(report, (hash) => h.blobs.get(hash).catch(() => undefined));
    expect(page).toContain("Accessibility (WCAG 2.1 A/AA)");
    // The crop is drawn as an SVG labelled with the issue, using the image defined once as a data: URI.
    expect(page).toContain(`aria-label="image-alt on /a11y-bad.html" data-shot="${crop}"`);
    expect(page).toMatch(new RegExp(`<image id="shot-${crop}" href="data:image/png;base64,`));
  });

  it("does not scan when accessibility is not in scope", async () => {
    const state = await h.engine().run({ plan: plan(fixtures.origin, ["functional"]) });
    expect(state.accessibility).toEqual([]);
    expect(buildRunReport(state).accessibility_issues).toEqual([]);
  });

  it("keeps one issue per page and rule across runs, with the runs that saw it", async () => {
    await h.engine().run({ plan: plan(fixtures.origin, ["functional", "accessibility"]) });
    const runner = new ProjectionRunner(h.store, READ_MODELS);
    await runner.catchUp();
    const { rows } = await h.store.db.query<{ rule: string; runs: number; history: unknown[] }>(
      "SELECT rule, runs, history FROM td_quality_issues WHERE kind = 'accessibility' ORDER BY rule",
    );
    expect(rows.map((r) => [r.rule, r.runs, r.history.length])).toEqual([
      ["button-name", 2, 2],
      ["color-contrast", 2, 2],
      ["html-has-lang", 2, 2],
      ["image-alt", 2, 2],
      ["label", 2, 2],
    ]);
  });

  it("measures each page load's vitals once with performance in scope, and reports broken budgets", async () => {
    const perfPlan = validatePlan({
      plan_id: "perf",
      name: "Slow report",
      application_url: fixtures.origin,
      test_scope: ["functional", "performance"],
      test_steps: [
        { action: "navigate", params: { url: "/perf.html" } },
        { action: "wait", params: { ms: 600 } },
        { action: "scroll", params: { y: 10 } },
        { action: "navigate", params: { url: "/a11y-good.html" } },
      ],
    });
    const state = await h
      .engine({ performanceBudgets: { fcp_ms: 2000, lcp_ms: 2500, cls: 0.1, tti_ms: 300 } })
      .run({ plan: perfPlan });
    expect(state.status).toBe("passed");
    // Two loads, two measurements: the scroll loaded nothing.
    expect(state.performance.map((p) => p.page)).toEqual(["/perf.html", "/a11y-good.html"]);
    const [slow, quick] = state.performance;
    expect(slow!.metrics.fcp_ms).toBeGreaterThan(0);
    expect(slow!.metrics.ttfb_ms).toBeGreaterThanOrEqual(0);
    expect(slow!.metrics.transfer_bytes).toBeGreaterThan(0);
    // The page's 450 ms script holds up the document: its estimated TTI breaks the 300 ms budget. (Blocking
    // time comes from buffered long-task entries, which a busy browser does not always keep: not asserted.)
    expect(slow!.metrics.tti_ms).toBeGreaterThan(300);
    expect(slow!.breaches.map((b) => b.metric)).toEqual(["tti_ms"]);
    const report = buildRunReport(state);
    expect(report.performance).toHaveLength(2);
    expect(quick!.breaches).toEqual([]);
    expect(renderJUnit(report)).toMatch(/performance \/perf\.html: .*\(over budget: tti_ms\)/);
    expect(await renderHtml(report, async () => undefined)).toContain('<section id="performance">');
    // The vitals feed the time series, per page, for trends (what get_test_metrics shows).
    await new ProjectionRunner(h.store, READ_MODELS).catchUp();
    const pages = await pagePerformance(h.store.db, new Date(Date.now() - 3600e3));
    expect(pages.find((p) => p.page === "/perf.html")).toMatchObject({
      loads: 1,
      tbt_ms: slow!.metrics.tbt_ms,
    });
    expect(report.warnings.filter((w) => w.kind === "performance_budget").map((w) => w.message)).toEqual([
      expect.stringMatching(/^\/perf\.html: tti_ms \d+ over the budget of 300$/),
    ]);
  });

  const shop = (path: string) =>
    validatePlan({
      plan_id: `shop${path.replace("/", "-")}`,
      name: "Shop search",
      application_url: fixtures.origin,
      test_scope: ["functional", "security"],
      test_steps: [
        { action: "navigate", params: { url: path } },
        { action: "type", params: { target: "Search field", text: "<i>td-probe</i>", key: "Enter" } },
        { action: "assert", params: { text: "Results for" } },
        { action: "assert", params: { text: "Profile loaded: Ada" } },
        // An action on the results page, once it has loaded: the checks look at the page each action leaves.
        { action: "scroll", params: { y: 0 } },
      ],
    });

  it("finds exactly the known weaknesses of an insecure page, mapped to OWASP, and none on a sound one", async () => {
    const bad = await h.engine().run({ plan: shop("/insecure") });
    expect(bad.status).toBe("passed");
    const report = buildRunReport(bad);
    const rules = [...new Set(report.security_findings.map((f) => f.rule))].sort();
    expect(rules).toEqual([
      "cookie-without-httponly",
      "form-posts-over-http",
      "missing-csp",
      "missing-frame-protection",
      "missing-referrer-policy",
      "missing-x-content-type-options",
      "reflected-input",
      "secret-exposed",
      "stack-trace-exposed",
    ]);
    // The API's JSON answers are read too, where the driver has bodies (Playwright).
    expect(report.security_findings.map((f) => f.detail)).toEqual(
      expect.arrayContaining([
        "GET /api/profile returns an AWS access key id",
        expect.stringMatching(/^GET \/api\/profile returns a stack trace/),
      ]),
    );
    expect(report.security_findings.find((f) => f.rule === "reflected-input")).toMatchObject({
      severity: "high",
      owasp: "A03:2021 Injection",
    });
    // Each finding once per run, though every step looked again.
    const keys = report.security_findings.map((f) => `${f.page} ${f.rule} ${f.detail}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(renderJUnit(report)).toContain("security: high reflected-input on /insecure (A03:2021 Injection)");
    expect(await renderHtml(report, async () => undefined)).toContain("Security (passive checks)");

    const good = await h.engine().run({ plan: shop("/secure") });
    expect(good.status).toBe("passed");
    expect(buildRunReport(good).security_findings).toEqual([]);
  });

  it("recognises a reflected value as typed: generated data resolved, environment values shown as their template", async () => {
    const typing = (text: string) =>
      validatePlan({
        plan_id: "shop-generated",
        name: "Shop search with generated input",
        application_url: fixtures.origin,
        test_scope: ["security"],
        test_steps: [
          { action: "navigate", params: { url: "/insecure" } },
          { action: "type", params: { target: "Search field", text, key: "Enter" } },
          { action: "scroll", params: { y: 0 } },
        ],
      });
    const engine = h.engine({ env: { TD_PROBE: "<u>td-env-probe</u>" } });
    const generated = await engine.run({ plan: typing("<i>${data:word#probe}</i>") });
    const word = buildRunReport(generated).security_findings.find((f) => f.rule === "reflected-input");
    expect(word?.detail).toMatch(/^typed input "<i>[a-z]+<\/i>" appears unescaped/);
    const fromEnv = await engine.run({ plan: typing("${env:TD_PROBE}") });
    const env = buildRunReport(fromEnv).security_findings.find((f) => f.rule === "reflected-input");
    expect(env?.detail).toBe('typed input "${env:TD_PROBE}" appears unescaped in the page');
    const checks = (await h.runEvents(fromEnv.run_id!)).filter((e) => e.type === "SecurityChecked");
    // The findings never carry the value (the page's own URL, a GET form's query, still does).
    const findings = checks.flatMap((c) => (c.data as { findings: unknown[] }).findings);
    expect(JSON.stringify(findings)).not.toContain("td-env-probe");
  });

  it("finds reflected input in an interactive run too: the check sees the steps an agent added", async () => {
    const engine = h.engine();
    const { runId } = await engine.startInteractive({
      plan: validatePlan({
        plan_id: "shop-interactive",
        name: "Shop search, step by step",
        application_url: fixtures.origin,
        test_scope: ["functional", "security"],
        test_steps: [{ action: "navigate", params: { url: "/insecure" } }],
      }),
    });
    const used = new Set(["navigate-insecure"]);
    const step = (input: object) => engine.addStep(runId, validateStep(input, used));
    await step({
      action: "type",
      params: { target: "Search field", text: "<i>td-agent-probe</i>", key: "Enter" },
    });
    await step({ action: "scroll", params: { y: 0 } });
    const finished = await engine.finish(runId);
    const reflected = buildRunReport(finished).security_findings.filter((f) => f.rule === "reflected-input");
    expect(reflected.map((f) => f.detail)).toEqual([
      expect.stringMatching(/^typed input "<i>td-agent-probe<\/i>" appears unescaped/),
    ]);
  });

  const apiPlan = (request: Record<string, unknown>) =>
    validatePlan({
      name: "Orders API",
      application_url: fixtures.origin,
      test_steps: [
        { action: "navigate", params: { url: "/api.html" } },
        { action: "click", params: { target: "Load orders button" } },
        { action: "assert", params: { text: "Loaded" } },
        { action: "assert", params: { request }, timeout: 2, max_retries: 0 },
      ],
    });

  it("checks the page's API calls: the request made, its status, its JSON body against a schema", async () => {
    const schema = { type: "object", required: ["status"], properties: { status: { const: 201 } } };
    const ok = await h.engine().run({
      plan: apiPlan({ url: "/api/status/201", method: "GET", status: 201, json_schema: schema }),
    });
    expect(ok.status, JSON.stringify(ok.steps.map((s) => s.error))).toBe("passed");
    expect(ok.steps[3]!.detail).toBe("request to /api/status/201 answered 201 with a valid JSON body");

    const wrongStatus = await h.engine().run({ plan: apiPlan({ url: "/api/status/201", status: 200 }) });
    expect(wrongStatus.steps[3]!.error).toMatch(
      /^expected status 200: GET http:\/\/127\.0\.0\.1:\d+\/api\/status\/201 → 201 \{"status":201\}/,
    );
    const wrongBody = await h.engine().run({
      plan: apiPlan({ url: "/api/status/201", json_schema: { type: "object", required: ["orders"] } }),
    });
    expect(wrongBody.steps[3]!.error).toMatch(
      /the JSON body does not match the schema \(\(body\) must have required property 'orders'\)/,
    );
    const never = await h.engine().run({ plan: apiPlan({ url: "/api/orders", method: "POST" }) });
    expect(never.steps[3]!.error).toMatch(/^no POST request to a URL containing \/api\/orders was made/);

    const wdio = await h.engine().run({
      plan: apiPlan({ url: "/api/status/201", json_schema: schema }),
      driver: "webdriverio",
    });
    expect(wdio.steps[3]!.error).toMatch(/cannot read response bodies/);
  }, 120_000);

  it("fails a run on new serious accessibility violations or broken budgets, when configured", async () => {
    const runner = new ProjectionRunner(h.store, READ_MODELS);
    const known = async (kind: "accessibility", runId: string) => {
      await runner.catchUp();
      const { rows } = await h.store.db.query<{ page: string; rule: string }>(
        "SELECT page, rule FROM td_quality_issues WHERE kind = $1 AND first_seen_run <> $2",
        [kind, runId],
      );
      return new Set(rows.map((r) => `${r.page}\u0000${r.rule}`));
    };
    const gated = h.engine({ qualityGates: { accessibility: "serious" }, knownQualityIssues: known });
    await h.engine().run({ plan: plan(fixtures.origin, ["functional", "accessibility"]) });
    // The bad page's violations are known from earlier runs: they are reported, not failed.
    const again = await gated.run({ plan: plan(fixtures.origin, ["functional", "accessibility"]) });
    expect(again.status, JSON.stringify(again.steps.map((s) => s.error))).toBe("passed");
    const fresh = await gated.run({
      plan: validatePlan({
        name: "Invoices",
        application_url: fixtures.origin,
        test_scope: ["functional", "accessibility"],
        test_steps: [{ action: "navigate", params: { url: "/a11y-new.html" } }],
      }),
    });
    expect(fresh.status).toBe("failed");
    expect(fresh.steps[0]!.error).toBe(
      "new accessibility violations on /a11y-new.html: image-alt (critical)",
    );

    const budgets = await h
      .engine({
        performanceBudgets: { fcp_ms: 2000, lcp_ms: 2500, cls: 0.1, tti_ms: 300 },
        qualityGates: { budgets: true },
      })
      .run({
        plan: validatePlan({
          name: "Slow report",
          application_url: fixtures.origin,
          test_scope: ["functional", "performance"],
          test_steps: [{ action: "navigate", params: { url: "/perf.html" } }],
        }),
      });
    expect(budgets.status).toBe("failed");
    expect(budgets.steps[0]!.error).toMatch(
      /^performance budget exceeded on \/perf\.html: tti_ms \d+ > 300$/,
    );
    expect(budgets.steps[0]!.attempts).toBe(1);
  }, 120_000);
});
