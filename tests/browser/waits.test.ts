import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  waitForActionable,
  waitForCondition,
  waitForDomQuiescence,
  waitForNetworkIdle,
  waitForVisualStability,
} from "../../src/adapters/browser/waits.js";
import type { BrowserDriver, BrowserSession } from "../../src/ports/browser.js";
import { browsersAvailable, driverFactories } from "../support/browsers.js";
import { type FixtureServer, startFixtureServer } from "../support/fixture-server.js";

describe.runIf(browsersAvailable).each(driverFactories)("adaptive waits: $kind", ({ create }) => {
  let server: FixtureServer;
  let driver: BrowserDriver;
  let session: BrowserSession;

  beforeAll(async () => {
    server = await startFixtureServer();
    driver = create();
    session = await driver.newSession();
  });
  afterAll(async () => {
    await session.close();
    await driver.close();
    await server.close();
  });

  it("waits for content that renders late to become actionable, then it can be used", async () => {
    await session.navigate(server.url("late.html?delay=1200"));
    const result = await waitForActionable(session, { css: "#late-button" }, { timeoutMs: 5000 });
    expect(result).toMatchObject({ success: true, reason: expect.stringContaining("actionable reached") });
    expect(result.attempts).toBeGreaterThan(1);
    await session.click({ css: "#late-button" });
    expect(await session.textOf({ css: "#slot" })).toContain("refreshed");
  });

  it("reports, without throwing, an element that never arrives", async () => {
    await session.navigate(server.url("late.html?delay=100000"));
    const result = await waitForActionable(session, { css: "#late-button" }, { timeoutMs: 300 });
    expect(result.success).toBe(false);
    expect(result.reason).toMatch(/not reached within 300 ms: not attached/);
  });

  it("knows an element covered by a modal overlay is not actionable, and a disabled one", async () => {
    await session.navigate(server.url("modal.html"));
    expect((await session.actionability({ css: "#behind" })).ok).toBe(true);
    await session.click({ css: "#open" });
    const covered = await session.actionability({ css: "#behind" });
    expect(covered).toMatchObject({ found: true, visible: true, covered: true, ok: false });
    expect(covered.reason).toMatch(/covered by div#overlay/);
    await session.navigate(server.url("form.html"));
    const disabled = await waitForActionable(session, { xpath: "//button[@disabled]" }, { timeoutMs: 200 });
    expect(disabled.reason).toMatch(/disabled/);
  });

  it("waits for the network to go idle after a slow request", async () => {
    await session.navigate(server.url("form.html"));
    await session.evaluate("(fetch('/api/slow?ms=600'), true)");
    const result = await waitForNetworkIdle(session, { idleMs: 200, timeoutMs: 5000 });
    expect(result.success).toBe(true);
    expect(result.durationMs).toBeGreaterThanOrEqual(500);
    expect(session.network().find((n) => n.url.includes("/api/slow"))?.status).toBe(200);
  });

  it("waits for DOM mutations to stop", async () => {
    await session.navigate(server.url("late.html?delay=100000&churn=800"));
    const result = await waitForDomQuiescence(session, { quietMs: 250, timeoutMs: 5000 });
    expect(result.success).toBe(true);
    const state = result.finalState as { now: number; lastMutation: number };
    expect(state.now - state.lastMutation).toBeGreaterThanOrEqual(250);
    expect(result.durationMs).toBeGreaterThanOrEqual(600);
  });

  it("waits for an animation to settle visually, and reports one that does not in time", async () => {
    await session.navigate(server.url("animation.html?duration=900"));
    await session.click({ css: "#go" });
    const settled = await waitForVisualStability(session, { timeoutMs: 8000 });
    expect(settled.success).toBe(true);
    expect(settled.durationMs).toBeGreaterThanOrEqual(500);
    const left = await session.evaluate<number>(
      "document.getElementById('box').getBoundingClientRect().left",
    );
    expect(left).toBe(600);

    await session.navigate(server.url("animation.html?duration=20000"));
    await session.click({ css: "#go" });
    // The animation runs for 20 s: long enough a window to take several screenshots on a busy machine.
    const moving = await waitForVisualStability(session, { timeoutMs: 2000 });
    expect(moving.success).toBe(false);
    expect(moving.reason).toMatch(/cells changed/);
  });

  it("waits for a custom condition", async () => {
    await session.navigate(server.url("late.html?delay=300"));
    const result = await waitForCondition(
      "refresh button present",
      () => session.exists({ css: "#late-button" }),
      {
        timeoutMs: 5000,
      },
    );
    expect(result).toMatchObject({ success: true });
  });
});
