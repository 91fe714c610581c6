import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { chromium } from "playwright-core";
import { FsBlobStore } from "../adapters/blobs/fs-blob-store.js";
import { CHROMIUM_ARGS, type ChromiumOptions } from "../adapters/browser/chromium.js";
import { PlaywrightDriver } from "../adapters/browser/playwright.js";
import { BrowserPool } from "../adapters/browser/pool.js";
import { openEventStore } from "../adapters/eventstore/open.js";
import { SnapshotStore } from "../adapters/snapshots/snapshot-store.js";
import { DEMO_PASSWORD, serveDemo } from "../demo/app.js";
import { createEventRegistry } from "../domain/catalog.js";
import { validatePlan } from "../domain/plan/parse.js";
import { TestEngine } from "../engine/engine.js";
import { ratio } from "./measure.js";

/** The 15-step flow on the demo app, as a plan for the engine. */
function flowPlan(url: string) {
  const css = (description: string, selector: string) => ({ description, css: selector });
  return validatePlan({
    plan_id: "bench-steps",
    name: "Bench flow",
    application_url: url,
    test_steps: [
      { action: "navigate", params: { url: "/login" } },
      { action: "type", params: { target: css("Email", "#email"), text: "alice@example.com" } },
      { action: "type", params: { target: css("Password", "#password"), text: DEMO_PASSWORD } },
      { action: "click", params: { target: css("Sign in", "#login-btn") } },
      { action: "assert", params: { text: "Welcome, alice" } },
      { action: "assert", params: { url_contains: "/dashboard" } },
      { action: "type", params: { target: css("New item", "#new-item"), text: "Milk" } },
      { action: "click", params: { target: css("Add", "#add-btn") } },
      { action: "assert", params: { text: "3 item(s)" } },
      { action: "type", params: { target: css("New item", "#new-item"), text: "Tea" }, step_id: "type-tea" },
      { action: "click", params: { target: css("Add", "#add-btn") }, step_id: "click-add-tea" },
      { action: "assert", params: { text: "4 item(s)" } },
      { action: "click", params: { target: css("Delete Milk", "[aria-label='Delete Milk']") } },
      { action: "click", params: { target: css("Sign out", "#logout") } },
      { action: "assert", params: { text: "Sign in to Listly" } },
    ],
  });
}

/** The same flow as a plain playwright-core script: what a developer would write by hand. */
async function rawFlow(browser: import("playwright-core").Browser, url: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const see = (text: string) => page.getByText(text, { exact: false }).first().waitFor();
  await page.goto(`${url}/login`);
  await page.fill("#email", "alice@example.com");
  await page.fill("#password", DEMO_PASSWORD);
  await page.click("#login-btn");
  await see("Welcome, alice");
  await page.waitForURL(/\/dashboard/);
  await page.fill("#new-item", "Milk");
  await page.click("#add-btn");
  await see("3 item(s)");
  await page.fill("#new-item", "Tea");
  await page.click("#add-btn");
  await see("4 item(s)");
  await page.click("[aria-label='Delete Milk']");
  await page.click("#logout");
  await see("Sign in to Listly");
  await context.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchSteps(
  chromiumOptions: ChromiumOptions,
  rounds = 5,
): Promise<Record<string, unknown>[]> {
  const demo = await serveDemo(1);
  const dataDir = mkdtempSync(join(tmpdir(), "td-bench-steps-"));
  const { store } = await openEventStore({ kind: "pglite", dataDir }, createEventRegistry());
  const pool = new BrowserPool({
    drivers: { playwright: () => new PlaywrightDriver(chromiumOptions) },
    maxConcurrentSessions: 1,
  });
  const blobs = new FsBlobStore(join(dataDir, "blobs"));
  const engine = new TestEngine({ store, pool, blobs, snapshots: new SnapshotStore(blobs) });
  const browser = await chromium.launch({
    executablePath: chromiumOptions.executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const raw: number[] = [];
  const ours: number[] = [];
  let events = 0;
  try {
    const plan = flowPlan(demo.url);
    // One warm-up each, then alternate so both see the same machine load.
    await rawFlow(browser, demo.url);
    await engine.run({ plan });
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      await rawFlow(browser, demo.url);
      raw.push(performance.now() - t);
      t = performance.now();
      const state = await engine.run({ plan });
      ours.push(performance.now() - t);
      if (state.status !== "passed")
        throw new Error(`the engine's run ${state.status}: ${state.steps.find((s) => s.error)?.error}`);
      events = state.version;
    }
  } finally {
    await browser.close();
    await pool.close();
    await store.close();
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const rawMs = Math.round(median(raw));
  const engineMs = Math.round(median(ours));
  const overhead = ratio(engineMs, rawMs);
  return [
    {
      bench: "steps",
      steps: 15,
      rounds,
      store: "pglite",
      peer: "playwright-core script",
      rawMedianMs: rawMs,
      engineMedianMs: engineMs,
      eventsPerRun: events,
      perStepOverheadMs: Math.round((engineMs - rawMs) / 15),
      overheadRatio: overhead,
      targets: { overheadRatio: { target: 1.3, met: overhead !== null && overhead <= 1.3 } },
    },
  ];
}
