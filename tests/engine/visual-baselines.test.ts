import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessibilityVisionAdapter } from "../../src/adapters/vision/accessibility-adapter.js";
import { LocalVision } from "../../src/adapters/vision/local-vision.js";
import { type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { baselineIdOf } from "../../src/domain/drift/baseline.js";
import { DriftService } from "../../src/engine/drift/service.js";
import { renderJUnit } from "../../src/projections/render-junit.js";
import { buildRunReport } from "../../src/projections/run-report/report.js";
import { ProjectionRunner } from "../../src/projections/runner.js";
import { listBaselines, visualBaselinesProjection } from "../../src/projections/visual-baselines.js";
import { browsersAvailable } from "../support/browsers.js";
import { demoPlan, type Harness, harness } from "../support/engine.js";

describe.runIf(browsersAvailable)("visual baselines along a run", () => {
  let h: Harness;
  let v1: RunningDemo;
  let v2: RunningDemo;
  let drift: DriftService;
  const local = new LocalVision();
  beforeAll(async () => {
    h = await harness();
    [v1, v2] = await Promise.all([serveDemo(1), serveDemo(2)]);
    const vision = new AccessibilityVisionAdapter(local);
    await vision.initialize();
    drift = new DriftService({ store: h.store, blobs: h.blobs, pool: h.pool, vision });
  });
  afterAll(async () => {
    await h?.close();
    await v1?.close();
    await v2?.close();
    await local.close();
  });

  it("captures each page a run visits, even behind a sign-in, then finds the next version's drift page by page", async () => {
    const engine = h.engine({ drift });
    const first = await engine.run({ plan: demoPlan(v1.url, "visual-demo"), baselines: { capture: "1" } });
    expect(first.status).toBe("passed");
    await new ProjectionRunner(h.store, [visualBaselinesProjection]).catchUp();
    const captured = await listBaselines(h.store.db, { version: "1" });
    expect(captured.map((b) => b.page_identifier).sort()).toEqual(["/dashboard", "/login"]);
    for (const b of captured) await drift.approve(b.baseline_id, "reviewer");

    const second = await engine.run({ plan: demoPlan(v2.url, "visual-demo"), baselines: { check: "1" } });
    expect(second.status).toBe("passed");
    const byPage = Object.fromEntries(second.drift.map((d) => [d.page, d]));
    expect(byPage["/login"]).toMatchObject({
      severity: "functional",
      baseline_id: baselineIdOf("/login", "1"),
      run_id: second.run_id,
    });
    expect(byPage["/login"]!.reasons).toContain('functional: textbox "Email" is now "Email address"');
    expect(byPage["/dashboard"]).toBeDefined();

    const report = buildRunReport(second);
    expect(report.drift.map((d) => d.page).sort()).toEqual(["/dashboard", "/login"]);
    expect(report.warnings.filter((w) => w.kind === "visual_drift").map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^\/login: functional drift: /),
    );
    expect(renderJUnit(report)).toContain("drift: functional on /login");
  }, 120_000);

  it("refuses baselines on an engine that has no drift service", async () => {
    await expect(
      h.engine().run({ plan: demoPlan(v1.url, "visual-demo"), baselines: { check: "1" } }),
    ).rejects.toThrow(/no drift service/);
  });
});
