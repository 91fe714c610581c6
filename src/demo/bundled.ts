import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { allSteps } from "../domain/plan/model.js";
import { parsePlan } from "../domain/plan/parse.js";
import type { TestEngine } from "../engine/engine.js";
import type { BundledPlan } from "../http/routes/plans.js";
import { type RunningDemo, serveDemo } from "./app.js";

export const DEMO_PLAN = fileURLToPath(new URL("../../demo/todo-plan.yaml", import.meta.url));

/** Listly in both versions on loopback, and the bundled plan that tests it. */
export interface DemoApps {
  v1: RunningDemo;
  v2: RunningDemo;
  text: string;
  /** The plan as GET /api/plans offers it: its text and both versions of the application. */
  bundled: BundledPlan;
  close(): Promise<void>;
}

export async function startDemoApps(): Promise<DemoApps> {
  const v1 = await serveDemo(1);
  const v2 = await serveDemo(2);
  const text = readFileSync(DEMO_PLAN, "utf8");
  const plan = parsePlan(text, DEMO_PLAN);
  return {
    v1,
    v2,
    text,
    bundled: {
      plan_id: plan.plan_id,
      name: plan.name,
      text,
      applications: [
        { url: v2.url, version: "2.0" },
        { url: v1.url, version: "1.0" },
      ],
      secrets: Object.fromEntries(
        allSteps(plan).flatMap(({ step }) =>
          step.action === "type" && step.params.secret && step.params.text !== undefined
            ? [[step.step_id, step.params.text]]
            : [],
        ),
      ),
    },
    close: async () => {
      await v1.close();
      await v2.close();
    },
  };
}

/**
 * The demo's two runs, as `testdriver demo` makes them: the plan against v1 (which passes and teaches the
 * elements; with `captureBaselines`, each page it visits is captured as a baseline of 1.0), then against v2,
 * where six recorded selectors no longer match and are healed.
 */
export async function runDemo(
  engine: TestEngine,
  apps: DemoApps,
  options: { captureBaselines?: boolean; onRun?: (version: string, url: string) => void } = {},
) {
  const results = [];
  for (const [version, app] of [
    ["1.0", apps.v1],
    ["2.0", apps.v2],
  ] as const) {
    const plan = { ...parsePlan(apps.text, DEMO_PLAN), application_url: app.url };
    options.onRun?.(version, app.url);
    results.push(
      await engine.run({
        plan,
        applicationVersion: version,
        requestedBy: "demo",
        ...(options.captureBaselines && version === "1.0" ? { baselines: { capture: "1.0" } } : {}),
      }),
    );
  }
  return results;
}
