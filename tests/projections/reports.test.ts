import { XMLParser } from "fast-xml-parser";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS } from "../../src/adapters/browser/chromium.js";
import { type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { validatePlan } from "../../src/domain/plan/parse.js";
import { READ_MODELS } from "../../src/projections/read-models.js";
import { reliabilityScores } from "../../src/projections/reliability.js";
import { renderHtml } from "../../src/projections/render-html.js";
import { renderJUnit } from "../../src/projections/render-junit.js";
import type { RunDetails } from "../../src/projections/run-report/details.js";
import { buildRunReport, REPORT_SCHEMA_VERSION } from "../../src/projections/run-report/report.js";
import { ProjectionRunner } from "../../src/projections/runner.js";
import { browsersAvailable, CHROMIUM } from "../support/browsers.js";
import { demoPlan, type Harness, harness } from "../support/engine.js";
import { startFixtureServer } from "../support/fixture-server.js";

describe.runIf(browsersAvailable)("reports", () => {
  let h: Harness;
  let v1: RunningDemo;
  let v2: RunningDemo;
  let healed: RunDetails;
  let failed: RunDetails;

  beforeAll(async () => {
    h = await harness();
    v1 = await serveDemo(1);
    v2 = await serveDemo(2);
    // Screenshots with every snapshot, as configured by default: each step shows the page it acted on.
    const engine = h.engine({ screenshots: "all" });
    await engine.run({ plan: demoPlan(v1.url, "report-demo") });
    healed = await engine.run({ plan: demoPlan(v2.url, "report-demo"), applicationVersion: "2.0" });
    failed = await h.engine({ stepTimeoutMs: 1500 }).run({
      plan: validatePlan({
        plan_id: "broken-check",
        name: "Broken <check>",
        application_url: v1.url,
        test_steps: [
          { action: "navigate", params: { url: "/login" } },
          { action: "assert", params: { text: "Welcome back & goodbye" } },
          { action: "click", params: { target: "Sign in button" } },
        ],
      }),
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await v1?.close();
    await v2?.close();
  });

  it("reliability per test, adapter and page, from the runs read model", async () => {
    await new ProjectionRunner(h.store, READ_MODELS).catchUp();
    const scores = await reliabilityScores(h.store.db);
    const find = (type: string, id: string) =>
      scores.find((s) => s.entity_type === type && s.entity_id === id);
    // v1 passed, v2 passed with six heals that held.
    expect(find("test", "report-demo")).toMatchObject({
      runs: 2,
      pass_rate: 1,
      stability: 1,
      recovery_rate: 1,
      score: 1,
    });
    expect(find("test", "broken-check")).toMatchObject({ runs: 1, pass_rate: 0, score: 0.5 });
    expect(find("adapter", "playwright")).toMatchObject({ runs: 3, pass_rate: 0.667 });
    expect(find("module", "/login")).toMatchObject({ runs: 3 });
    expect(find("module", "/dashboard")).toMatchObject({ runs: 2, pass_rate: 1 });
  });

  it("JSON: a versioned report with steps, strategies, heals, failures and warnings", () => {
    const report = buildRunReport(healed);
    expect(report).toMatchObject({
      schema_version: REPORT_SCHEMA_VERSION,
      status: "passed",
      application_version: "2.0",
      summary: { total: 13, healed: 6, failed: 0, pass_rate: 1 },
    });
    expect(report.steps[1]).toMatchObject({
      status: "healed",
      strategy: "accessibility",
      locator: { selector: "#user-email" },
    });
    expect(report.heals).toHaveLength(6);
    // Five heals need a person: the new-item heal alone was proved, by "Expect not to see Milk".
    expect(report.warnings.filter((w) => w.kind === "heal_needs_review")).toHaveLength(5);
    const broken = buildRunReport(failed);
    expect(broken.failures).toEqual([
      expect.objectContaining({ index: 1, error: expect.stringContaining("Welcome back & goodbye") }),
    ]);
    expect(broken.failures[0]!.screenshot).toMatch(/^[0-9a-f]{64}$/);
  });

  it("lists the console errors and failed requests the run's pages showed, in all three formats", async () => {
    const fixtures = await startFixtureServer();
    try {
      const state = await h.engine({ screenshots: "all" }).run({
        plan: validatePlan({
          name: "Errors page",
          application_url: fixtures.origin,
          test_steps: [
            { action: "navigate", params: { url: "/errors.html" } },
            { action: "wait", params: { for: "network_idle" } },
            { action: "scroll", params: { y: 10 } },
          ],
        }),
      });
      const report = buildRunReport(state);
      expect(report.console_errors).toEqual(
        expect.arrayContaining([
          expect.stringContaining("failed to load widget"),
          expect.stringContaining("widget exploded"),
        ]),
      );
      expect(report.network_failures).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ url: expect.stringContaining("/api/status/500"), status: 500 }),
          expect.objectContaining({ url: expect.stringContaining("/missing-image.png"), status: 404 }),
        ]),
      );
      const junit = renderJUnit(report);
      expect(junit).toContain("console error: failed to load widget");
      expect(junit).toMatch(/network failure: GET \S+\/api\/status\/500 500/);
      const page = await renderHtml(report, async () => undefined);
      expect(page).toContain("Console errors and network failures");
    } finally {
      await fixtures.close();
    }
  });

  it("JUnit XML that parses back: suite, cases, failure, skipped, properties, system-out", () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" });
    const doc = parser.parse(renderJUnit(buildRunReport(failed)));
    const suite = doc.testsuites.testsuite;
    expect(suite).toMatchObject({ name: "Broken <check>", tests: "3", failures: "1", skipped: "1" });
    expect(suite.testcase).toHaveLength(3);
    expect(suite.testcase[1].failure).toMatchObject({
      type: "StepFailed",
      message: expect.stringContaining("Welcome back & goodbye"),
    });
    expect(suite.testcase[2].skipped).toBeDefined();
    expect(suite.properties.property).toEqual(
      expect.arrayContaining([
        { name: "run_id", value: failed.run_id },
        { name: "status", value: "failed" },
      ]),
    );
    const healedSuite = parser.parse(renderJUnit(buildRunReport(healed))).testsuites.testsuite;
    expect(healedSuite.testcase[1]["system-out"]).toMatch(/located by accessibility .*; healed/);
    expect(healedSuite["system-out"]).toContain("heal type-email-field: #email -> #user-email");
  });

  it("HTML: one self-contained file, failures first, each step with the page it acted on and its element outlined, labelled confidences, and a status filter that works", async () => {
    const image = (hash: string) => h.blobs.get(hash).catch(() => undefined);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on("request", (r) => {
        if (!r.url().startsWith("data:")) requests.push(r.url());
      });
      await page.setContent(await renderHtml(buildRunReport(failed), image));
      expect(await page.locator("section").first().getAttribute("id")).toBe("failures");
      // Screenshots are defined once, inline, and drawn where they are used.
      const used = await page.locator("#failures svg use").getAttribute("href");
      expect(await page.locator(`image${used}`).getAttribute("href")).toMatch(/^data:image\/png;base64,/);
      expect(await page.locator("h1").textContent()).toContain("Broken <check>");
      const visible = () => page.locator("details.step:visible").count();
      expect(await visible()).toBe(3);
      await page.getByRole("button", { name: "failed" }).click();
      expect(await visible()).toBe(1);
      expect(await page.locator("details.step:visible summary").textContent()).toContain(
        "Welcome back & goodbye",
      );
      await page.getByRole("button", { name: "skipped" }).click();
      expect(await visible()).toBe(1);
      await page.getByRole("button", { name: "All" }).click();
      expect(await visible()).toBe(3);

      const html = await renderHtml(buildRunReport(healed), image);
      await page.setContent(html);
      expect(await page.locator("#heals .heal").count()).toBe(6);
      expect(await page.locator("#heals .heal").first().locator("svg.shot").count()).toBe(2);
      await page.getByRole("button", { name: "healed" }).click();
      expect(await visible()).toBe(6);
      await page.getByRole("button", { name: "All" }).click();
      // A healed step: the page it acted on with the element outlined, and how it was found, in words.
      const healedStep = page.locator("#step-1");
      expect(
        await healedStep
          .getByRole("img", { name: /acted on, with textbox/ })
          .locator("rect.outline.target")
          .count(),
      ).toBe(1);
      expect(await healedStep.textContent()).toMatch(
        /healed: found by resemblance to the element recorded before, \d+ % \((medium|high|very high)\)/,
      );
      // A step that passed shows its page and element too, once opened.
      const deleteStep = page.locator("details.step").filter({ hasText: "Delete Milk" }).first();
      await deleteStep.locator("summary").click();
      expect(await deleteStep.locator("rect.outline.target").count()).toBe(1);
      expect(await deleteStep.textContent()).toMatch(/found by the locator learned in an earlier run, \d+ %/);
      // Warnings speak of elements and what to do, not of UUIDs.
      const warnings = (await page.locator("#warnings").textContent()) ?? "";
      expect(warnings).toContain("5 heals await a person's review");
      expect(warnings).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      // Each distinct screenshot is carried once.
      const defined = await page.locator("svg.defs image").count();
      expect(html.match(/data:image\/png;base64,/g)).toHaveLength(defined);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
