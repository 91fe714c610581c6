import { type Browser, chromium } from "playwright-core";
import type { BrowserDriver, SessionOptions } from "../../ports/browser.js";
import { CHROMIUM_ARGS, type ChromiumOptions, DEFAULT_CHROMIUM } from "./chromium.js";
import { PLAYWRIGHT_CAPABILITIES, PlaywrightSession } from "./playwright-session.js";
import { type BrowserProxy, connectPlaywright, type PlaywrightEndpoint, playwrightProxy } from "./remote.js";
import { UrlPolicy } from "./url-policy.js";

export class PlaywrightDriver implements BrowserDriver {
  readonly kind = "playwright" as const;
  readonly capabilities = PLAYWRIGHT_CAPABILITIES;
  private browser: Browser | undefined;
  private launching: Promise<Browser> | undefined;

  /**
   * With `remote.endpoint`, connects to a browser that runs elsewhere (a browser server or a CDP endpoint)
   * instead of launching Chromium; `remote.proxy` sends every session's traffic through a proxy.
   */
  constructor(
    private readonly chromiumOptions: ChromiumOptions = DEFAULT_CHROMIUM,
    private readonly remote: { endpoint?: PlaywrightEndpoint; proxy?: BrowserProxy } = {},
  ) {}

  async launch(): Promise<void> {
    await this.ensureBrowser();
  }

  private ensureBrowser(): Promise<Browser> {
    if (this.browser?.isConnected()) return Promise.resolve(this.browser);
    const endpoint = this.remote.endpoint;
    this.launching ??= (
      endpoint
        ? connectPlaywright(endpoint)
        : chromium.launch({
            executablePath: this.chromiumOptions.executablePath,
            headless: this.chromiumOptions.headless,
            args: CHROMIUM_ARGS,
          })
    )
      .then((browser) => {
        this.browser = browser;
        return browser;
      })
      .finally(() => {
        this.launching = undefined;
      });
    return this.launching;
  }

  /** The operating-system process id of the browser, for crash tests and diagnostics. */
  async browserPid(): Promise<number> {
    const browser = await this.ensureBrowser();
    const cdp = await browser.newBrowserCDPSession();
    try {
      const info = (await cdp.send("SystemInfo.getProcessInfo")) as {
        processInfo: { type: string; id: number }[];
      };
      const main = info.processInfo.find((p) => p.type === "browser");
      if (!main) throw new Error("the browser did not report its process id");
      return main.id;
    } finally {
      await cdp.detach().catch(() => {});
    }
  }

  async newSession(options: SessionOptions = {}): Promise<PlaywrightSession> {
    const browser = await this.ensureBrowser();
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 720 },
      acceptDownloads: false,
      serviceWorkers: "block",
      // Playwright proxies loopback too for a context's proxy (it adds <-loopback> itself).
      ...(options.proxyServer
        ? { proxy: { server: options.proxyServer } }
        : this.remote.proxy
          ? { proxy: playwrightProxy(this.remote.proxy) }
          : {}),
    });
    const page = await context.newPage();
    const session = new PlaywrightSession(
      context,
      page,
      {
        policy: new UrlPolicy(options.allowedHosts ?? []),
        allowScripts: options.allowScripts ?? false,
        timeoutMs: options.defaultTimeoutMs ?? 30_000,
      },
      () => browser.isConnected(),
    );
    await session.installNavigationGuard();
    return session;
  }

  isAlive(): boolean {
    return this.browser?.isConnected() ?? false;
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    await browser?.close().catch(() => {});
  }
}
