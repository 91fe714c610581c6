import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlaywrightDriver } from "../../src/adapters/browser/playwright.js";
import { BrowserPool } from "../../src/adapters/browser/pool.js";
import type { BrowserProxy } from "../../src/adapters/browser/remote.js";
import { captureSnapshot } from "../../src/adapters/browser/snapshot.js";
import { WebdriverIODriver } from "../../src/adapters/browser/webdriverio.js";
import type { WebdriverIOSession } from "../../src/adapters/browser/webdriverio-session.js";
import { TestEngine } from "../../src/engine/engine.js";
import type { BrowserDriver } from "../../src/ports/browser.js";
import { browsersAvailable, chromiumOptions } from "../support/browsers.js";
import { demoPlan, harness } from "../support/engine.js";
import { type FixtureServer, startFixtureServer } from "../support/fixture-server.js";
import {
  type RemoteEndpoint,
  startChromeDriver,
  startChromiumWithCdp,
  startCountingProxy,
  startPlaywrightServer,
} from "../support/remote-browsers.js";

type Proxy = Awaited<ReturnType<typeof startCountingProxy>>;

// Chromium never proxies loopback unless told to: "<-loopback>" takes that exception away.
const through = (proxy: Proxy): BrowserProxy => ({ server: proxy.server, bypass: ["<-loopback>"] });

const endpoints: {
  name: string;
  start: () => Promise<RemoteEndpoint>;
  driver: (url: string, proxy?: BrowserProxy) => BrowserDriver;
}[] = [
  {
    name: "WebdriverIO on a WebDriver URL (ChromeDriver on a port)",
    start: startChromeDriver,
    driver: (url, proxy) => new WebdriverIODriver(chromiumOptions, { url, proxy }),
  },
  {
    name: "Playwright on a browser server (launchServer in another process)",
    start: startPlaywrightServer,
    driver: (url, proxy) => new PlaywrightDriver(chromiumOptions, { endpoint: { kind: "ws", url }, proxy }),
  },
  {
    name: "Playwright on a CDP endpoint (Chromium with --remote-debugging-port)",
    start: startChromiumWithCdp,
    driver: (url, proxy) => new PlaywrightDriver(chromiumOptions, { endpoint: { kind: "cdp", url }, proxy }),
  },
];

describe.runIf(browsersAvailable).each(endpoints)("remote browsers: $name", ({ start, driver }) => {
  let server: FixtureServer;
  let endpoint: RemoteEndpoint;
  let proxy: Proxy;
  beforeAll(async () => {
    [server, endpoint, proxy] = await Promise.all([startFixtureServer(), start(), startCountingProxy()]);
  });
  afterAll(async () => {
    await Promise.all([server?.close(), endpoint?.stop(), proxy?.close()]);
  });

  it("drives a session on the remote browser, through the given proxy; closing leaves the remote running", async () => {
    const remote = driver(endpoint.url, through(proxy));
    try {
      const session = await remote.newSession();
      await session.navigate(server.url("forms.html"));
      await session.type({ css: "#name" }, "Ada");
      expect(await session.textOf({ css: "#mirror" })).toBe("Hello, Ada");
      const snapshot = await captureSnapshot(session, { runId: "r", stepId: "s" });
      expect(snapshot.forms?.fields.map((f) => f.path.selector)).toEqual(["#name"]);
      expect((await session.accessibilitySnapshot()).nodes.some((n) => n.name === "Name")).toBe(true);
      // No local browser process belongs to a remote WebDriver session.
      if (session.kind === "webdriverio") expect((session as WebdriverIOSession).profileDir).toBeUndefined();
      await session.close();
      expect(proxy.hits(new URL(server.origin).host)).toBeGreaterThan(0);
    } finally {
      await remote.close();
    }
    // The endpoint serves the next client as before.
    const next = driver(endpoint.url);
    try {
      const session = await next.newSession();
      await session.navigate(server.url("nav1.html"));
      expect(await session.title()).toBe("Step 1");
    } finally {
      await next.close();
    }
  }, 90_000);
});

describe.runIf(browsersAvailable)("a run on a remote browser", () => {
  it("passes the demo plan on a WebDriver server, and says which server it could not reach", async () => {
    const [{ serveDemo }, chromedriver] = await Promise.all([
      import("../../src/demo/app.js"),
      startChromeDriver(),
    ]);
    const demo = await serveDemo(1);
    const h = await harness();
    const pool = new BrowserPool({
      drivers: { webdriverio: () => new WebdriverIODriver(chromiumOptions, { url: chromedriver.url }) },
      maxConcurrentSessions: 1,
    });
    try {
      const engine = new TestEngine({ ...h, pool, stepTimeoutMs: 15_000 });
      const state = await engine.run({ plan: demoPlan(demo.url, "remote-demo"), driver: "webdriverio" });
      expect(state.error).toBeUndefined();
      expect(state.status).toBe("passed");
      await chromedriver.stop();
      await expect(pool.acquire("webdriverio")).rejects.toThrow(
        `cannot create a session on the WebDriver server at ${chromedriver.url}/`,
      );
    } finally {
      await pool.close();
      await h.close();
      await demo.close();
      await chromedriver.stop();
    }
  }, 120_000);
});
