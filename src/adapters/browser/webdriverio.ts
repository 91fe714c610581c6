import { readdirSync, readFileSync } from "node:fs";
import { Key, remote } from "webdriverio";
import type {
  BrowserDriver,
  ConsoleEntry,
  Cookie,
  DriverCapabilities,
  ElementPath,
  Modifier,
  SessionOptions,
  Viewport,
  WaitUntil,
} from "../../ports/browser.js";
import { isProcessAlive } from "../process.js";
import { BaseSession, type BaseSessionOptions, pushCapped } from "./base-session.js";
import { CHROMIUM_ARGS, type ChromiumOptions, DEFAULT_CHROMIUM, gateArgs, tempProfile } from "./chromium.js";
import { type BrowserProxy, redactUrl, webdriverConnection, webdriverProxy } from "./remote.js";
import { UrlPolicy } from "./url-policy.js";

type WdioBrowser = WebdriverIO.Browser;
type WdioElement = WebdriverIO.Element;

const CAPABILITIES: DriverCapabilities = {
  networkCapture: true,
  // WebDriver BiDi in this ChromeDriver gives no response bodies.
  responseBodies: false,
  consoleCapture: true,
  // BiDi can intercept, but TestDriver does not drive it through WebdriverIO yet.
  networkInterception: false,
  videoRecording: false,
  fullPageScreenshot: true,
  fileUpload: true,
  // Pointer-event drags; WebDriver actions cannot start a native HTML5 drag in Chromium.
  dragAndDrop: true,
  // WebDriver commands act on one current browsing context per session, so isolated concurrent runs each
  // get a WebDriver session (and a browser process) of their own.
  sharedBrowserProcess: false,
};

const KEY_ALIASES: Record<string, string> = { Meta: "Command", Esc: "Escape", " ": "Space", Return: "Enter" };

/** Playwright's key notation ("Control+Shift+A") as WebDriver key values. */
export function toWebDriverKeys(keys: string): string[] {
  const parts = keys === "+" ? ["+"] : keys.split(/\+(?!$)/);
  return parts.map((part) => {
    const name = KEY_ALIASES[part] ?? part;
    const special = (Key as Record<string, string>)[name];
    if (special) return special;
    if (part.length === 1) return part;
    throw new Error(`unknown key ${JSON.stringify(part)} in ${JSON.stringify(keys)}`);
  });
}

type Header = { name: string; value: { type: string; value: string } };
const headers = (list: Header[] | undefined) =>
  Object.fromEntries((list ?? []).map((h) => [h.name.toLowerCase(), h.value?.value ?? ""]));

/** The main browser process started with a profile directory (Linux /proc); undefined elsewhere. */
export function browserPidOf(profileDir: string): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args.includes(`--user-data-dir=${profileDir}`) && !args.some((a) => a.startsWith("--type=")))
        return Number(entry);
    } catch {
      // It ended while we looked.
    }
  }
  return undefined;
}

export class WebdriverIOSession extends BaseSession {
  readonly kind = "webdriverio" as const;
  readonly capabilities = CAPABILITIES;
  private watcher: NodeJS.Timeout | undefined;

  constructor(
    private readonly browser: WdioBrowser,
    options: BaseSessionOptions,
    /** The browser's profile directory, which also identifies its process; none for a remote browser. */
    readonly profileDir?: string,
  ) {
    super(options);
    browser.on("log.entryAdded", (entry) => {
      const e = entry as {
        level: string;
        text: string | null;
        type: string;
        timestamp: number;
        method?: string;
      };
      if (e.type === "javascript") {
        pushCapped(this.errors, { message: e.text ?? "", timestamp: e.timestamp });
        return;
      }
      const level = (e.method === "warning" ? "warn" : (e.method ?? e.level)) as ConsoleEntry["level"];
      pushCapped(this.consoleEntries, {
        level: ["log", "info", "warn", "error", "debug"].includes(level) ? level : "log",
        text: e.text ?? "",
        timestamp: e.timestamp,
      });
    });
    browser.on("network.beforeRequestSent", (event) => {
      const e = event as {
        request: { request: string; url: string; method: string; headers: Header[] };
        timestamp: number;
        redirectCount: number;
        navigation: string | null;
      };
      // WebDriver cannot block it; the session refuses the landing page right after the action.
      if (e.navigation && !this.options.policy.allows(e.request.url)) this.refusedNavigation = e.request.url;
      this.recordRequest({
        id: `${e.request.request}:${e.redirectCount}`,
        url: e.request.url,
        method: e.request.method,
        requestHeaders: headers(e.request.headers),
        startedAt: e.timestamp,
      });
    });
    browser.on("network.responseCompleted", (event) => {
      const e = event as {
        request: { request: string };
        response: { status: number; headers: Header[] };
        timestamp: number;
        redirectCount: number;
      };
      this.finishRequest(`${e.request.request}:${e.redirectCount}`, {
        status: e.response.status,
        responseHeaders: headers(e.response.headers),
        finishedAt: e.timestamp,
      });
    });
    browser.on("network.fetchError", (event) => {
      const e = event as {
        request: { request: string };
        errorText: string;
        timestamp: number;
        redirectCount: number;
      };
      this.finishRequest(`${e.request.request}:${e.redirectCount}`, {
        failure: e.errorText,
        finishedAt: e.timestamp,
      });
    });
  }

  /**
   * Watches the browser process: once the browser dies, BiDi commands may never be answered, so the
   * session learns of it from the process itself and fails calls in flight.
   */
  watchBrowserProcess(): void {
    const pid = this.profileDir ? browserPidOf(this.profileDir) : undefined;
    if (pid === undefined) return;
    this.watcher = setInterval(() => {
      if (!isProcessAlive(pid)) {
        clearInterval(this.watcher);
        this.reportCrash(new Error(`browser process ${pid} exited`));
      }
    }, 250);
    this.watcher.unref();
    this.onClose(() => clearInterval(this.watcher));
  }

  async subscribe(): Promise<void> {
    await this.browser.sessionSubscribe({
      events: [
        "log.entryAdded",
        "network.beforeRequestSent",
        "network.responseCompleted",
        "network.fetchError",
      ],
    });
  }

  /** Finds the element of a path, switching into its frames; call `leaveFrames` when done. */
  private async element(path: ElementPath): Promise<WdioElement> {
    for (const frame of path.frames) {
      const [first, ...rest] = frame.split(" >>> ");
      let frameElement = await this.browser.$(first!);
      for (const part of rest) frameElement = await frameElement.shadow$(part);
      await this.browser.switchFrame(frameElement);
    }
    if (path.hosts.length === 0) return this.browser.$(path.xpath ?? path.selector).getElement();
    let element = await this.browser.$(path.hosts[0]!);
    for (const host of path.hosts.slice(1)) element = await element.shadow$(host);
    return element.shadow$(path.xpath ?? path.selector).getElement();
  }

  private async withElement<T>(path: ElementPath, fn: (el: WdioElement) => Promise<T>): Promise<T> {
    try {
      try {
        return await fn(await this.element(path));
      } catch (error) {
        // A page that re-renders replaces the node between finding and acting; the path finds the new one.
        if (!/stale element/i.test(String((error as Error)?.message))) throw error;
        if (path.frames.length > 0) await this.browser.switchFrame(null);
        return await fn(await this.element(path));
      }
    } finally {
      if (path.frames.length > 0) await this.browser.switchFrame(null);
    }
  }

  protected evalExpression<T>(expression: string): Promise<T> {
    return this.browser.execute(`return ${expression};`) as Promise<T>;
  }

  protected runUserScript<T>(script: string, args: unknown[]): Promise<T> {
    return this.browser.execute(script, ...args) as Promise<T>;
  }

  protected async goto(url: string, waitUntil: WaitUntil, timeoutMs: number) {
    // WebdriverIO takes navigation options only for http(s) pages, not about:blank.
    if (!/^https?:/.test(url)) return void (await this.browser.url(url));
    const wait =
      waitUntil === "domcontentloaded"
        ? "interactive"
        : waitUntil === "networkidle"
          ? "networkIdle"
          : "complete";
    await this.browser.url(url, { wait, timeout: timeoutMs });
  }

  protected async doReload(waitUntil: WaitUntil) {
    await this.browser.refresh();
    await this.doWaitForLoad(waitUntil, this.options.timeoutMs);
  }

  protected async doHistory(delta: -1 | 1, waitUntil: WaitUntil) {
    await (delta < 0 ? this.browser.back() : this.browser.forward());
    await this.doWaitForLoad(waitUntil, this.options.timeoutMs);
  }

  protected async doWaitForLoad(waitUntil: WaitUntil, timeoutMs: number) {
    await this.browser.waitUntil(
      async () => {
        const state = await this.browser.execute("return document.readyState;");
        if (waitUntil === "domcontentloaded") return state !== "loading";
        if (state !== "complete") return false;
        return waitUntil !== "networkidle" || this.pendingRequests().length === 0;
      },
      {
        timeout: timeoutMs,
        interval: 50,
        timeoutMsg: `page did not reach ${waitUntil} within ${timeoutMs} ms`,
      },
    );
  }

  protected async doClick(
    path: ElementPath,
    button: "left" | "right" | "middle",
    clickCount: number,
    modifiers: Modifier[],
  ) {
    // WebDriver keeps keys pressed across action sequences until they are released.
    const keys = modifiers.flatMap(toWebDriverKeys);
    if (keys.length) await keys.reduce((a, k) => a.down(k), this.browser.action("key")).perform();
    try {
      await this.withElement(path, async (el) => {
        if (clickCount === 2 && button === "left") return el.doubleClick();
        for (let i = 0; i < clickCount; i++) await el.click({ button });
      });
    } finally {
      if (keys.length) await keys.reduce((a, k) => a.up(k), this.browser.action("key")).perform();
    }
  }

  protected async doClickAt(x: number, y: number, button: "left" | "right" | "middle", clickCount: number) {
    const buttonId = button === "left" ? 0 : button === "middle" ? 1 : 2;
    let action = this.browser.action("pointer").move({ x: Math.round(x), y: Math.round(y) });
    for (let i = 0; i < clickCount; i++) action = action.down({ button: buttonId }).up({ button: buttonId });
    await action.perform();
  }

  // WebDriver's element send-keys always types key by key.
  protected async doType(
    path: ElementPath,
    text: string,
    clear: boolean,
    delayMs: number,
    _keystrokes: boolean,
  ) {
    await this.withElement(path, async (el) => {
      if (clear) await el.clearValue();
      else await el.click();
      if (delayMs <= 0) return el.addValue(text);
      for (const ch of text) {
        await el.addValue(ch);
        await new Promise((r) => setTimeout(r, delayMs));
      }
    });
  }

  protected async doPress(keys: string) {
    const values = toWebDriverKeys(keys);
    let action = this.browser.action("key");
    for (const value of values) action = action.down(value);
    for (const value of [...values].reverse()) action = action.up(value);
    await action.perform();
  }

  protected async doSelect(path: ElementPath, values: string[]) {
    await this.withElement(path, async (el) => {
      const indexes = (await this.browser.execute(
        "var s = arguments[0], w = arguments[1]; return Array.prototype.map.call(s.options, function (o, i) { return w.indexOf(o.value) >= 0 || w.indexOf(o.label) >= 0 || w.indexOf(o.text.trim()) >= 0 ? i : -1; }).filter(function (i) { return i >= 0; });",
        el,
        values,
      )) as number[];
      if (indexes.length === 0) throw new Error(`no option of the select matches ${JSON.stringify(values)}`);
      if (indexes.length === 1) return el.selectByIndex(indexes[0]!);
      // Several options of a multiple select: set them all, then fire the events a user's choice fires.
      await this.browser.execute(
        "var s = arguments[0], ix = arguments[1]; Array.prototype.forEach.call(s.options, function (o, i) { o.selected = ix.indexOf(i) >= 0; }); s.dispatchEvent(new Event('input', { bubbles: true })); s.dispatchEvent(new Event('change', { bubbles: true }));",
        el,
        indexes,
      );
    });
  }

  protected async doHover(path: ElementPath) {
    await this.withElement(path, (el) => el.moveTo());
  }

  protected async doDrag(source: ElementPath, destination: ElementPath) {
    if (source.frames.length || destination.frames.length)
      throw new Error("drag and drop across frames is not supported");
    const from = await this.element(source);
    const to = await this.element(destination);
    await from.dragAndDrop(to);
  }

  protected async doUpload(path: ElementPath, files: string[]) {
    // A local browser reads the paths itself; several files go as one newline-separated value.
    await this.withElement(path, (el) => el.addValue(files.join("\n")));
  }

  protected async doScreenshot(fullPage: boolean): Promise<Buffer> {
    if (!fullPage) return Buffer.from(await this.browser.takeScreenshot(), "base64");
    const context = await this.browser.getWindowHandle();
    const { data } = await this.browser.browsingContextCaptureScreenshot({ context, origin: "document" });
    return Buffer.from(data, "base64");
  }

  protected async doGetCookies(): Promise<Cookie[]> {
    return (await this.browser.getCookies()).map((c) => ({
      name: c.name,
      value: c.value,
      domain: c.domain,
      path: c.path,
      expires: c.expiry,
      httpOnly: c.httpOnly,
      secure: c.secure,
      sameSite: c.sameSite as Cookie["sameSite"],
    }));
  }

  protected async doSetCookies(cookies: Cookie[]) {
    await this.browser.setCookies(
      cookies.map((c) => ({
        name: c.name,
        value: c.value,
        domain: c.domain,
        path: c.path,
        expiry: c.expires !== undefined && c.expires > 0 ? Math.round(c.expires) : undefined,
        httpOnly: c.httpOnly,
        secure: c.secure,
        // ChromeDriver wants the capitalised form, whatever WebdriverIO's types say.
        sameSite: c.sameSite as unknown as "strict" | "lax" | "none" | undefined,
      })),
    );
  }

  protected async doClearCookies() {
    await this.browser.deleteAllCookies();
  }

  protected async doSetViewport(viewport: Viewport) {
    await this.browser.setViewport(viewport);
  }

  /** The ChromeDriver process WebdriverIO started for this session (none on a remote WebDriver server). */
  get driverPid(): number | undefined {
    const pid = (this.browser.capabilities as Record<string, unknown>)["wdio:driverPID"];
    return typeof pid === "number" ? pid : undefined;
  }

  protected async doClose() {
    try {
      // After a crash ChromeDriver may take long to notice; do not let closing hang.
      await Promise.race([this.browser.deleteSession(), new Promise((r) => setTimeout(r, 5000).unref())]);
    } finally {
      // WebdriverIO stops the ChromeDriver it started only when deleteSession succeeds, which it does not
      // once the browser has died: the driver process would outlive the session.
      const pid = this.driverPid;
      if (pid !== undefined && isProcessAlive(pid)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // It ended meanwhile.
        }
      }
    }
  }

  protected isCrash(error: unknown): boolean {
    return /invalid session id|session deleted|not reachable|ECONNREFUSED|disconnected|ECONNRESET|target window already closed|socket hang up|WebSocket is not open/i.test(
      String((error as Error)?.message),
    );
  }
}

export class WebdriverIODriver implements BrowserDriver {
  readonly kind = "webdriverio" as const;
  readonly capabilities = CAPABILITIES;
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
