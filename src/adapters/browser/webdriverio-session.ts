import type {
  Cookie,
  DriverCapabilities,
  ElementPath,
  Modifier,
  Viewport,
  WaitUntil,
} from "../../ports/browser.js";
import { isProcessAlive } from "../process.js";
import { BaseSession } from "./base-session.js";
import { browserPidOf } from "./browser-process.js";
import type { BaseSessionOptions } from "./session-core.js";
import { findElement, withElement } from "./webdriverio-elements.js";
import { toWebDriverKeys } from "./webdriverio-keys.js";
import { BIDI_EVENTS, recordWebDriverBiDi } from "./webdriverio-recording.js";
import {
  closeWindow,
  listenForDialogs,
  WindowScripts,
  whileAnsweringDialogs,
  windowDetails,
} from "./webdriverio-tabs.js";

type WdioBrowser = WebdriverIO.Browser;

export const WEBDRIVERIO_CAPABILITIES: DriverCapabilities = {
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

export class WebdriverIOSession extends BaseSession {
  readonly kind = "webdriverio" as const;
  readonly capabilities = WEBDRIVERIO_CAPABILITIES;
  private watcher: NodeJS.Timeout | undefined;
  private readonly scripts: WindowScripts;

  constructor(
    private readonly browser: WdioBrowser,
    options: BaseSessionOptions,
    /** The browser's profile directory, which also identifies its process; none for a remote browser. */
    readonly profileDir?: string,
  ) {
    super(options);
    this.scripts = new WindowScripts(browser);
    recordWebDriverBiDi(browser, this.records, (url) => {
      // WebDriver cannot block it; the session refuses the landing page right after the action.
      if (!this.options.policy.allows(url)) this.refusedNavigation = url;
    });
    listenForDialogs(browser, (dialog, respond) => this.dialogDesk.opened(dialog, respond));
  }

  protected tabIds = (): Promise<string[]> => this.browser.getWindowHandles();
  protected currentTabId = () => this.browser.getWindowHandle();
  protected tabDetails = (id: string) => windowDetails(this.browser, id);
  protected activateTab = (id: string) => this.scripts.switchTo(id);
  protected doCloseTab = (id: string) => closeWindow(this.browser, id);

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
    await this.browser.sessionSubscribe({ events: [...BIDI_EVENTS] });
    this.scripts.start(await this.browser.getWindowHandle());
  }

  protected evalExpression<T>(expression: string): Promise<T> {
    return this.scripts.run<T>(`return ${expression};`, []);
  }

  protected runUserScript<T>(script: string, args: unknown[]): Promise<T> {
    return this.scripts.run<T>(script, args);
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
        const state = await this.scripts.run("return document.readyState;", []);
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
      await whileAnsweringDialogs(this.dialogDesk, () =>
        withElement(this.browser, path, async (el) => {
          if (clickCount === 2 && button === "left") return el.doubleClick();
          // A plain left click is one WebDriver command; with options WebdriverIO sends pointer actions.
          for (let i = 0; i < clickCount; i++) await (button === "left" ? el.click() : el.click({ button }));
        }),
      );
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
    await withElement(this.browser, path, async (el) => {
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
    await withElement(this.browser, path, async (el) => {
      const indexes = await this.scripts.run<number[]>(
        "var s = arguments[0], w = arguments[1]; return Array.prototype.map.call(s.options, function (o, i) { return w.indexOf(o.value) >= 0 || w.indexOf(o.label) >= 0 || w.indexOf(o.text.trim()) >= 0 ? i : -1; }).filter(function (i) { return i >= 0; });",
        [el, values],
      );
      if (indexes.length === 0) throw new Error(`no option of the select matches ${JSON.stringify(values)}`);
      if (indexes.length === 1) return el.selectByIndex(indexes[0]!);
      // Several options of a multiple select: set them all, then fire the events a user's choice fires.
      await this.scripts.run(
        "var s = arguments[0], ix = arguments[1]; Array.prototype.forEach.call(s.options, function (o, i) { o.selected = ix.indexOf(i) >= 0; }); s.dispatchEvent(new Event('input', { bubbles: true })); s.dispatchEvent(new Event('change', { bubbles: true }));",
        [el, indexes],
      );
    });
  }

  protected async doHover(path: ElementPath) {
    await withElement(this.browser, path, (el) => el.moveTo());
  }

  protected async doDrag(source: ElementPath, destination: ElementPath) {
    if (source.frames.length || destination.frames.length)
      throw new Error("drag and drop across frames is not supported");
    const from = await findElement(this.browser, source);
    const to = await findElement(this.browser, destination);
    await from.dragAndDrop(to);
  }

  protected async doUpload(path: ElementPath, files: string[]) {
    // A local browser reads the paths itself; several files go as one newline-separated value.
    await withElement(this.browser, path, (el) => el.addValue(files.join("\n")));
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
