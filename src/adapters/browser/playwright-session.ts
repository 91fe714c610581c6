import type { BrowserContext, FrameLocator, Locator, Page } from "playwright-core";
import type {
  Cookie,
  DriverCapabilities,
  ElementPath,
  Modifier,
  Viewport,
  WaitUntil,
} from "../../ports/browser.js";
import { BaseSession } from "./base-session.js";
import { recordPlaywrightPage } from "./playwright-recording.js";
import type { BaseSessionOptions } from "./session-core.js";

export const PLAYWRIGHT_CAPABILITIES: DriverCapabilities = {
  networkCapture: true,
  responseBodies: true,
  consoleCapture: true,
  networkInterception: true,
  // Playwright records video through an ffmpeg build it downloads; TestDriver downloads nothing.
  videoRecording: false,
  fullPageScreenshot: true,
  fileUpload: true,
  dragAndDrop: true,
  sharedBrowserProcess: true,
};

function toPlaywrightWait(waitUntil: WaitUntil): "load" | "domcontentloaded" | "networkidle" {
  return waitUntil;
}

export class PlaywrightSession extends BaseSession {
  readonly kind = "playwright" as const;
  readonly capabilities = PLAYWRIGHT_CAPABILITIES;
  // The context's route aborts refused navigations before they happen.
  protected override readonly blocksRefusedNavigations = true;

  /** The tab later calls act on. */
  page: Page;
  private readonly tabOf = new WeakMap<Page, string>();
  private nextTab = 0;

  constructor(
    private readonly context: BrowserContext,
    page: Page,
    options: BaseSessionOptions,
    private readonly isConnected: () => boolean,
  ) {
    super(options);
    this.page = page;
    this.adopt(page);
    // A popup (window.open, a target=_blank link) becomes a tab of the session.
    context.on("page", (popup) => this.adopt(popup));
    context.browser()?.on("disconnected", () => this.reportCrash());
  }

  private adopt(page: Page) {
    if (this.tabOf.has(page)) return;
    this.tabOf.set(page, `tab-${++this.nextTab}`);
    page.setDefaultTimeout(this.options.timeoutMs);
    recordPlaywrightPage(page, this.records);
    page.on("dialog", (dialog) =>
      this.dialogDesk.opened(
        { type: dialog.type(), message: dialog.message(), defaultValue: dialog.defaultValue() },
        (accept, text) => (accept ? dialog.accept(text) : dialog.dismiss()),
      ),
    );
  }

  private pageOf(id: string): Page {
    const page = this.context.pages().find((p) => this.tabOf.get(p) === id);
    if (!page) throw new Error(`the tab ${id} is closed`);
    return page;
  }

  protected async tabIds(): Promise<string[]> {
    for (const page of this.context.pages()) this.adopt(page);
    return this.context.pages().map((p) => this.tabOf.get(p)!);
  }

  protected async currentTabId(): Promise<string> {
    return this.tabOf.get(this.page)!;
  }

  protected async tabDetails(id: string) {
    const page = this.pageOf(id);
    return { url: page.url(), title: await page.title() };
  }

  protected async activateTab(id: string) {
    this.page = this.pageOf(id);
    await this.page.bringToFront();
  }

  protected async doCloseTab(id: string) {
    await this.pageOf(id).close();
  }

  /** Blocks page-initiated navigations of any frame to hosts the policy refuses. */
  async installNavigationGuard(): Promise<void> {
    await this.context.route("**/*", async (route) => {
      const request = route.request();
      if (request.isNavigationRequest() && !this.options.policy.allows(request.url())) {
        this.refusedNavigation = request.url();
        await route.abort("blockedbyclient");
        return;
      }
      await route.fallback();
    });
  }

  private locator(path: ElementPath): Locator {
    let scope: Page | FrameLocator = this.page;
    for (const frame of path.frames) scope = scope.frameLocator(frame.split(" >>> ").join(" >> "));
    let locator: Locator | undefined;
    for (const host of path.hosts) locator = locator ? locator.locator(host) : scope.locator(host);
    const own = path.xpath ? `xpath=${path.xpath}` : path.selector;
    return locator ? locator.locator(own) : scope.locator(own);
  }

  protected evalExpression<T>(expression: string): Promise<T> {
    return this.page.evaluate(expression) as Promise<T>;
  }

  protected runUserScript<T>(script: string, args: unknown[]): Promise<T> {
    // WebDriver semantics, the same on both adapters: a function body that sees `arguments`.
    return this.page.evaluate(
      `(function () { ${script}\n}).apply(null, ${JSON.stringify(args)})`,
    ) as Promise<T>;
  }

  protected async goto(url: string, waitUntil: WaitUntil, timeoutMs: number) {
    await this.page.goto(url, { waitUntil: toPlaywrightWait(waitUntil), timeout: timeoutMs });
  }

  protected async doReload(waitUntil: WaitUntil) {
    await this.page.reload({ waitUntil: toPlaywrightWait(waitUntil) });
  }

  protected async doHistory(delta: -1 | 1, waitUntil: WaitUntil) {
    const options = { waitUntil: toPlaywrightWait(waitUntil), timeout: this.options.timeoutMs };
    await (delta < 0 ? this.page.goBack(options) : this.page.goForward(options));
  }

  protected async doWaitForLoad(waitUntil: WaitUntil, timeoutMs: number) {
    await this.page.waitForLoadState(toPlaywrightWait(waitUntil), { timeout: timeoutMs });
  }

  protected async doClick(
    path: ElementPath,
    button: "left" | "right" | "middle",
    clickCount: number,
    modifiers: Modifier[],
  ) {
    await this.locator(path).click({ button, clickCount, modifiers });
  }

  protected async doClickAt(x: number, y: number, button: "left" | "right" | "middle", clickCount: number) {
    await this.page.mouse.click(x, y, { button, clickCount });
  }

  protected async doType(
    path: ElementPath,
    text: string,
    clear: boolean,
    delayMs: number,
    keystrokes: boolean,
  ) {
    const locator = this.locator(path);
    // fill() sets the value and fires input like a paste; real keystrokes only when asked (delay > 0 or
    // keystrokes), for pages that react to each key.
    if (clear && delayMs === 0 && !keystrokes) return locator.fill(text);
    if (clear) await locator.fill("");
    else await locator.focus();
    await locator.pressSequentially(text, { delay: delayMs });
  }

  protected async doPress(keys: string) {
    await this.page.keyboard.press(keys);
  }

  protected async doSelect(path: ElementPath, values: string[]) {
    const locator = this.locator(path);
    // A value may name an option by its value or by its label.
    const options = await locator.evaluate(
      (select, wanted) =>
        Array.from((select as HTMLSelectElement).options)
          .filter(
            (o) => wanted.includes(o.value) || wanted.includes(o.label) || wanted.includes(o.text.trim()),
          )
          .map((o) => o.value),
      values,
    );
    if (options.length === 0) throw new Error(`no option of the select matches ${JSON.stringify(values)}`);
    await locator.selectOption(options);
  }

  protected async doHover(path: ElementPath) {
    await this.locator(path).hover();
  }

  protected async doDrag(source: ElementPath, destination: ElementPath) {
    await this.locator(source).dragTo(this.locator(destination));
  }

  protected async doUpload(path: ElementPath, files: string[]) {
    await this.locator(path).setInputFiles(files);
  }

  protected doScreenshot(fullPage: boolean): Promise<Buffer> {
    return this.page.screenshot({ fullPage, type: "png" });
  }

  protected async doGetCookies(): Promise<Cookie[]> {
    return (await this.context.cookies()).map((c) => ({
      name: c.name,
      value: c.value,
      domain: c.domain,
      path: c.path,
      expires: c.expires,
      httpOnly: c.httpOnly,
      secure: c.secure,
      sameSite: c.sameSite,
    }));
  }

  protected async doSetCookies(cookies: Cookie[]) {
    const url = this.page.url();
    await this.context.addCookies(
      cookies.map((c) => {
        const base = {
          name: c.name,
          value: c.value,
          httpOnly: c.httpOnly,
          secure: c.secure,
          sameSite: c.sameSite,
        };
        const expires = c.expires !== undefined && c.expires > 0 ? { expires: c.expires } : {};
        return c.domain
          ? { ...base, ...expires, domain: c.domain, path: c.path ?? "/" }
          : { ...base, ...expires, url: url.startsWith("http") ? url : undefined };
      }),
    );
  }

  protected async doClearCookies() {
    await this.context.clearCookies();
  }

  protected async doSetViewport(viewport: Viewport) {
    await this.page.setViewportSize(viewport);
  }

  protected async doClose() {
    await this.context.close();
  }

  protected isCrash(error: unknown): boolean {
    if (!this.isConnected()) return true;
    return /Target (page, context or browser )?(has been )?closed|Browser has been closed|browser has disconnected/i.test(
      String((error as Error)?.message),
    );
  }
}
