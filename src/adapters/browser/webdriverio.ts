import type {} from "webdriverio";
import type { BrowserDriver, SessionOptions } from "../../ports/browser.js";
import { CHROMIUM_ARGS, type ChromiumOptions, DEFAULT_CHROMIUM, gateArgs, tempProfile } from "./chromium.js";
import { type BrowserProxy, redactUrl, webdriverConnection, webdriverProxy } from "./remote.js";
import { UrlPolicy } from "./url-policy.js";
import { loadWebDriverKeys } from "./webdriverio-keys.js";
import { WEBDRIVERIO_CAPABILITIES, WebdriverIOSession } from "./webdriverio-session.js";

type WdioBrowser = WebdriverIO.Browser;

export class WebdriverIODriver implements BrowserDriver {
  readonly kind = "webdriverio" as const;
  readonly capabilities = WEBDRIVERIO_CAPABILITIES;
  private readonly sessions = new Set<WebdriverIOSession>();

  /**
   * With `remote.url`, sessions are created on that WebDriver server (a Selenium Grid 4, a ChromeDriver on
   * a port) with the browser it provides, instead of a local ChromeDriver and Chromium; `remote.proxy`
   * sends every session's traffic through a proxy.
   */
  constructor(
    private readonly chromiumOptions: ChromiumOptions = DEFAULT_CHROMIUM,
    private readonly remote: { url?: string; proxy?: BrowserProxy } = {},
  ) {}

  async launch(): Promise<void> {
    // Each session launches its own browser (see sharedBrowserProcess); nothing to start up front.
  }

  async newSession(options: SessionOptions = {}): Promise<WebdriverIOSession> {
    const viewport = options.viewport ?? { width: 1280, height: 720 };
    const url = this.remote.url;
    // A local browser gets a profile of its own, which also finds its process for the crash watcher.
    const profile = url ? undefined : tempProfile();
    const args = [
      ...CHROMIUM_ARGS,
      ...(options.proxyServer ? gateArgs(options.proxyServer) : []),
      ...(this.chromiumOptions.headless ? ["--headless=new"] : []),
      ...(profile ? [`--user-data-dir=${profile.dir}`] : []),
      `--window-size=${viewport.width},${viewport.height + 200}`,
    ];
    // Loaded with the first session, not at import: see loadWebDriverKeys.
    const [{ remote }] = await Promise.all([import("webdriverio"), loadWebDriverKeys()]);
    let browser: WdioBrowser;
    try {
      browser = await remote({
        logLevel: "silent",
        connectionRetryCount: 0,
        ...(url ? webdriverConnection(url) : {}),
        capabilities: {
          browserName: "chrome",
          webSocketUrl: true,
          // WebdriverIO types socksVersion as a string; the W3C capability (and ChromeDriver) want a number.
          ...(this.remote.proxy
            ? { proxy: webdriverProxy(this.remote.proxy) as unknown as WebdriverIO.Capabilities["proxy"] }
            : {}),
          "goog:chromeOptions": url ? { args } : { binary: this.chromiumOptions.executablePath, args },
          ...(url ? {} : { "wdio:chromedriverOptions": { binary: this.chromiumOptions.chromedriverPath } }),
        },
      });
    } catch (error) {
      profile?.remove();
      throw new Error(
        url
          ? `cannot create a session on the WebDriver server at ${redactUrl(url)}: ${(error as Error).message}`
          : `cannot start Chromium through ChromeDriver (${this.chromiumOptions.chromedriverPath}): ${(error as Error).message}`,
        { cause: error },
      );
    }
    const session = new WebdriverIOSession(
      browser,
      {
        policy: new UrlPolicy(options.allowedHosts ?? []),
        allowScripts: options.allowScripts ?? false,
        timeoutMs: options.defaultTimeoutMs ?? 30_000,
      },
      profile?.dir,
    );
    this.sessions.add(session);
    session.onClose(() => {
      this.sessions.delete(session);
      // The browser may still be writing its profile while it shuts down.
      if (profile) setTimeout(profile.remove, 1000).unref();
    });
    try {
      session.watchBrowserProcess();
      await session.subscribe();
      await browser.setViewport(viewport);
      await browser.setTimeout({
        pageLoad: options.defaultTimeoutMs ?? 30_000,
        script: options.defaultTimeoutMs ?? 30_000,
      });
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  isAlive(): boolean {
    return true;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.sessions].map((s) => s.close()));
  }
}
