import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validatePlan } from "../../src/domain/plan/parse.js";
import { renderHtml } from "../../src/projections/render-html.js";
import { renderJUnit } from "../../src/projections/render-junit.js";
import { buildRunReport } from "../../src/projections/run-report.js";
import { ProjectionRunner } from "../../src/projections/runner.js";
import { READ_MODELS } from "../../src/projections/runs.js";
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
    const state = await h.engine().run({ plan: plan(fixtures.origin, ["functional", "accessibility"]) });
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
    expect(await renderHtml(report, async () => undefined)).toContain("Accessibility (WCAG 2.1 A/AA)");
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
});
