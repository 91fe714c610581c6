import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPidOf } from "../../src/adapters/browser/browser-process.js";
import { PlaywrightDriver } from "../../src/adapters/browser/playwright.js";
import { BrowserPool, PoolTimeoutError } from "../../src/adapters/browser/pool.js";
import { WebdriverIODriver } from "../../src/adapters/browser/webdriverio.js";
import type { WebdriverIOSession } from "../../src/adapters/browser/webdriverio-session.js";
import { isProcessAlive } from "../../src/adapters/process.js";
import { BrowserCrashedError } from "../../src/ports/browser.js";
import { browsersAvailable, chromiumOptions } from "../support/browsers.js";
import { type FixtureServer, startFixtureServer } from "../support/fixture-server.js";

describe.runIf(browsersAvailable)("browser pool", () => {
  let server: FixtureServer;
  const drivers: PlaywrightDriver[] = [];
  const pool = new BrowserPool({
    drivers: {
      playwright: () => {
        const d = new PlaywrightDriver(chromiumOptions);
        drivers.push(d);
        return d;
      },
      webdriverio: () => new WebdriverIODriver(chromiumOptions),
    },
    maxConcurrentSessions: 2,
    acquireTimeoutMs: 1500,
  });

  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await pool.close();
    await server.close();
  });

  it("starts a browser ahead of the first session when warmed, and a session asked for meanwhile waits for that launch", async () => {
    const warmed = new BrowserPool({
      drivers: { playwright: () => new PlaywrightDriver(chromiumOptions) },
      maxConcurrentSessions: 1,
    });
    try {
      const warming = warmed.warm("playwright");
      const session = await warmed.acquire("playwright"); // asked while the launch is under way
      await warming;
      expect(warmed.stats()).toMatchObject({ active: 1, launches: { playwright: 1 } });
      await session.close();
      expect(warmed.stats().active).toBe(0);
    } finally {
      await warmed.close();
    }
  });

  it("shares one browser process between isolated sessions", async () => {
    const a = await pool.acquire("playwright");
    const b = await pool.acquire("playwright");
    try {
      expect(pool.stats()).toMatchObject({ active: 2, limit: 2, launches: { playwright: 1 } });
      await a.navigate(server.url("storage.html"));
      await a.setStorage("local", { user: "a" });
      await b.navigate(server.url("storage.html"));
      expect(await b.getStorage("local")).toEqual({});
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    expect(pool.stats().active).toBe(0);
  });

  it("queues sessions beyond the limit in order, and times out with a clear error", async () => {
    const a = await pool.acquire("playwright");
    const b = await pool.acquire("playwright");
    const order: string[] = [];
    const c = pool.acquire("playwright").then((s) => {
      order.push("c");
      return s;
    });
    const d = pool.acquire("playwright").then((s) => {
      order.push("d");
      return s;
    });
    expect(pool.stats().waiting).toBe(2);
    await a.close();
    const sc = await c;
    await b.close();
    const sd = await d;
    expect(order).toEqual(["c", "d"]);
    const e = pool.acquire("playwright");
    await expect(e).rejects.toBeInstanceOf(PoolTimeoutError);
    await expect(e).rejects.toThrow(/TESTDRIVER_MAX_SESSIONS/);
    await Promise.all([sc.close(), sd.close()]);
    expect(pool.stats()).toMatchObject({ active: 0, waiting: 0 });
  });

  it("relaunches Playwright's browser after it dies; the affected session gets a clear error", async () => {
    const session = await pool.acquire("playwright");
    await session.navigate(server.url("form.html"));
    const driver = drivers.at(-1)!;
    process.kill(await driver.browserPid(), "SIGKILL");
    await expect(session.navigate(server.url("nav1.html"))).rejects.toBeInstanceOf(BrowserCrashedError);
    expect(session.closed).toBe(true);
    expect(pool.stats().active).toBe(0);

    const fresh = await pool.acquire("playwright");
    try {
      await fresh.navigate(server.url("nav1.html"));
      expect(await fresh.title()).toBe("Step 1");
      expect(pool.stats()).toMatchObject({ crashes: 1, launches: { playwright: 2 } });
    } finally {
      await fresh.close();
    }
  });

  it("a WebdriverIO session whose browser dies fails with a clear error, and the next one works", async () => {
    const session = (await pool.acquire("webdriverio")) as WebdriverIOSession;
    await session.navigate(server.url("form.html"));
    const driverPid = session.driverPid!;
    process.kill(browserPidOf(session.profileDir!)!, "SIGKILL");
    await expect(session.navigate(server.url("nav1.html"))).rejects.toBeInstanceOf(BrowserCrashedError);
    expect(pool.stats().active).toBe(0);
    // Its ChromeDriver goes too, instead of outliving the session.
    const until = Date.now() + 10_000;
    while (isProcessAlive(driverPid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(isProcessAlive(driverPid)).toBe(false);
    const fresh = await pool.acquire("webdriverio");
    try {
      await fresh.navigate(server.url("nav1.html"));
      expect(await fresh.title()).toBe("Step 1");
    } finally {
      await fresh.close();
    }
  });

  it("rejects a kind that is not configured", async () => {
    const only = new BrowserPool({ drivers: {}, maxConcurrentSessions: 1 });
    await expect(only.acquire("playwright")).rejects.toThrow(/driver playwright is not configured/);
    expect(only.stats().active).toBe(0);
  });
});
