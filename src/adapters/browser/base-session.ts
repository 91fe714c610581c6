import {
  type AccessibilitySnapshot,
  type Actionability,
  BrowserCrashedError,
  type BrowserSession,
  type CaptureContext,
  type ConsoleEntry,
  type Cookie,
  type DriverCapabilities,
  type DriverKind,
  type ElementDescription,
  ElementNotFoundError,
  type ElementPath,
  type FormAccess,
  type JsError,
  type Modifier,
  type NetworkExchange,
  type PageState,
  type RestoreReport,
  type SessionWaits,
  type StateSnapshot,
  type StorageKind,
  type Target,
  UnknownRefError,
  type Viewport,
  type WaitUntil,
} from "../../ports/browser.js";
import { focusElement, matchPaths, readFields, readForms, restoreFields } from "./form-state.js";
import { MISSING, pageCall, pageCallIfInstalled } from "./page-script.js";
import { captureSnapshot, restoreSnapshot } from "./snapshot.js";
import { ScriptsDisabledError, type UrlPolicy } from "./url-policy.js";
import { waitForDomQuiescence, waitForNetworkIdle, waitForVisualStability } from "./waits.js";

export { UrlRefusedError } from "./url-policy.js";

const MAX_LOG_ENTRIES = 1000;

export interface BaseSessionOptions {
  policy: UrlPolicy;
  allowScripts: boolean;
  timeoutMs: number;
}

/** Appends to a list, dropping the oldest entries beyond the cap so long runs do not grow without bound. */
export function pushCapped<T>(list: T[], item: T, cap = MAX_LOG_ENTRIES) {
  list.push(item);
  if (list.length > cap) list.splice(0, list.length - cap);
}

/**
 * What both adapters share. Subclasses supply the framework primitives (the abstract methods); everything
 * that can be done with an in-page evaluation is done here once.
 */
export abstract class BaseSession implements BrowserSession {
  abstract readonly kind: DriverKind;
  abstract readonly capabilities: DriverCapabilities;
  closed = false;

  protected readonly consoleEntries: ConsoleEntry[] = [];
  protected readonly errors: JsError[] = [];
  protected readonly exchanges = new Map<string, NetworkExchange>();
  private refs = new Map<string, ElementPath>();
  private readonly closeHooks: (() => void)[] = [];
  /** Set by an adapter when the page tried to navigate somewhere the policy refuses. */
  protected refusedNavigation: string | undefined;

  constructor(protected readonly options: BaseSessionOptions) {}

  // --- framework primitives -------------------------------------------------------------------------------
  protected abstract evalExpression<T>(expression: string): Promise<T>;
  protected abstract runUserScript<T>(script: string, args: unknown[]): Promise<T>;
  protected abstract goto(url: string, waitUntil: WaitUntil, timeoutMs: number): Promise<void>;
  protected abstract doReload(waitUntil: WaitUntil): Promise<void>;
  protected abstract doHistory(delta: -1 | 1, waitUntil: WaitUntil): Promise<void>;
  protected abstract doWaitForLoad(waitUntil: WaitUntil, timeoutMs: number): Promise<void>;
  protected abstract doClick(
    path: ElementPath,
    button: "left" | "right" | "middle",
    clickCount: number,
    modifiers: Modifier[],
  ): Promise<void>;
  protected abstract doClickAt(
    x: number,
    y: number,
    button: "left" | "right" | "middle",
    clickCount: number,
  ): Promise<void>;
  protected abstract doType(
    path: ElementPath,
    text: string,
    clear: boolean,
    delayMs: number,
    keystrokes: boolean,
  ): Promise<void>;
  protected abstract doPress(keys: string): Promise<void>;
  protected abstract doSelect(path: ElementPath, values: string[]): Promise<void>;
  protected abstract doHover(path: ElementPath): Promise<void>;
  protected abstract doDrag(source: ElementPath, destination: ElementPath): Promise<void>;
  protected abstract doUpload(path: ElementPath, files: string[]): Promise<void>;
  protected abstract doScreenshot(fullPage: boolean): Promise<Buffer>;
  protected abstract doGetCookies(): Promise<Cookie[]>;
  protected abstract doSetCookies(cookies: Cookie[]): Promise<void>;
  protected abstract doClearCookies(): Promise<void>;
  protected abstract doSetViewport(viewport: Viewport): Promise<void>;
  protected abstract doClose(): Promise<void>;
  /** Whether an error means the browser process is gone. */
  protected abstract isCrash(error: unknown): boolean;

  private crashed: Error | undefined;
  private readonly crashListeners = new Set<(error: Error) => void>();

  /** Called by an adapter that learns its browser process is gone: calls in flight fail at once. */
  protected reportCrash(cause?: unknown): void {
    if (this.crashed || this.closed) return;
    this.crashed = new Error("the browser process exited", { cause });
    for (const listener of this.crashListeners) listener(this.crashed);
  }

  /**
   * Runs a primitive, turning a dead browser into BrowserCrashedError instead of a hang or a cryptic error:
   * the call races the crash signal, since some protocols never answer once the browser is gone.
   */
  protected async guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    if (this.crashed) {
      this.abandon();
      throw new BrowserCrashedError(this.kind, operation, this.crashed);
    }
    if (this.closed) throw new Error(`the ${this.kind} session is closed; ${operation} is not possible`);
    let onCrash: ((error: Error) => void) | undefined;
    const crash = new Promise<never>((_, reject) => {
      onCrash = reject;
      this.crashListeners.add(reject);
    });
    try {
      return await Promise.race([fn(), crash]);
    } catch (error) {
      if (this.crashed || this.isCrash(error)) {
        this.abandon();
        throw new BrowserCrashedError(this.kind, operation, error);
      }
      throw error;
    } finally {
      if (onCrash) this.crashListeners.delete(onCrash);
      crash.catch(() => {});
    }
  }

  /** Calls the page library, sending it along only to a document that does not have it yet. */
  protected async callPage<T>(call: string): Promise<T> {
    const result = await this.evalExpression<T | typeof MISSING>(pageCallIfInstalled(call));
    return result === MISSING ? this.evalExpression<T>(pageCall(call)) : (result as T);
  }

  /**
   * Whether the adapter itself blocks navigations the URL policy refuses; if not, the landing page is
   * checked after each action.
   */
  protected readonly blocksRefusedNavigations: boolean = false;

  /** Resolves a target to a path, checking that it matches exactly one element now. */
  protected async pathOf(target: Target, operation: string): Promise<ElementPath> {
    const path = this.toPath(target);
    // A path comes from a snapshot or a locate that just resolved it; the framework's action finds it again.
    if ("path" in target) return path;
    const count = await this.guard(operation, () =>
      this.callPage<number>(`td.count(${JSON.stringify(path)})`),
    );
    if (count === 0) throw new ElementNotFoundError(target);
    if (count > 1)
      throw new ElementNotFoundError(target, `it matches ${count} elements; make the selector unique`);
    return path;
  }

  protected toPath(target: Target): ElementPath {
    if ("ref" in target) {
      const path = this.refs.get(target.ref);
      if (!path) throw new UnknownRefError(target.ref);
      return path;
    }
    if ("path" in target) return target.path;
    const frames = target.frame ? [target.frame] : [];
    if ("xpath" in target) return { frames, hosts: [], selector: "", xpath: target.xpath };
    return { frames, hosts: [], selector: target.css };
  }

  // --- navigation -----------------------------------------------------------------------------------------
  async navigate(url: string, options: { waitUntil?: WaitUntil; timeoutMs?: number } = {}): Promise<void> {
    this.options.policy.check(url);
    await this.guard("navigate", () =>
      this.goto(url, options.waitUntil ?? "load", options.timeoutMs ?? this.options.timeoutMs),
    );
    await this.checkLanding("navigate");
  }

  /**
   * The URL once an action has happened. While the action's navigation is under way a driver may fail to
   * answer; the action has taken effect, so asking again beats failing (and retrying) the action.
   */
  private async urlAfterAction(): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.currentUrl();
      } catch (error) {
        if ((error as Error).name === "BrowserCrashedError" || attempt >= 5) throw error;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }

  /** A page may redirect or script its way to a refused host; leave it at once if so. */
  protected async checkLanding(operation: string): Promise<void> {
    const refused = this.refusedNavigation;
    this.refusedNavigation = undefined;
    if (this.blocksRefusedNavigations) {
      if (refused) this.options.policy.check(refused);
      return;
    }
    const landed = await this.urlAfterAction();
    if (landed !== "about:blank" && !this.options.policy.allows(landed)) {
      await this.guard(operation, () => this.goto("about:blank", "load", this.options.timeoutMs));
      this.options.policy.check(refused ?? landed);
    }
    if (refused) this.options.policy.check(refused);
  }

  reload(options: { waitUntil?: WaitUntil } = {}) {
    return this.guard("reload", () => this.doReload(options.waitUntil ?? "load"));
  }

  async history(delta: -1 | 1, options: { waitUntil?: WaitUntil } = {}) {
    await this.guard(delta < 0 ? "back" : "forward", () =>
      this.doHistory(delta, options.waitUntil ?? "load"),
    );
    await this.checkLanding(delta < 0 ? "back" : "forward");
  }

  waitForNavigation(options: { timeoutMs?: number; waitUntil?: WaitUntil } = {}) {
    return this.guard("waitForNavigation", () =>
      this.doWaitForLoad(options.waitUntil ?? "load", options.timeoutMs ?? this.options.timeoutMs),
    );
  }

  currentUrl(): Promise<string> {
    return this.guard("currentUrl", () => this.evalExpression<string>("location.href"));
  }

  title(): Promise<string> {
    return this.guard("title", () => this.evalExpression<string>("document.title"));
  }

  pageSource(): Promise<string> {
    return this.guard("pageSource", () =>
      this.evalExpression<string>(
        "(document.doctype ? new XMLSerializer().serializeToString(document.doctype) : '') + document.documentElement.outerHTML",
      ),
    );
  }

  // --- page state, forms and waits: the same for every framework -------------------------------------
  captureState(context: CaptureContext): Promise<StateSnapshot> {
    return captureSnapshot(this, context);
  }

  restoreState(snapshot: StateSnapshot): Promise<RestoreReport> {
    return restoreSnapshot(this, snapshot);
  }

  readonly forms: FormAccess = {
    read: () => readForms(this),
    readFields: (paths) => readFields(this, paths),
    restoreFields: (fields, options) => restoreFields(this, fields, options),
    focus: (path) => focusElement(this, path),
    matchPaths: (paths, among) => matchPaths(this, paths, among),
  };

  readonly waits: SessionWaits = {
    networkIdle: (options) => waitForNetworkIdle(this, options),
    domQuiet: (options) => waitForDomQuiescence(this, options),
    visualStability: (options) => waitForVisualStability(this, options),
  };

  // --- actions --------------------------------------------------------------------------------------------
  async click(
    target: Target,
    options: { button?: "left" | "right" | "middle"; clickCount?: number; modifiers?: Modifier[] } = {},
  ) {
    const path = await this.pathOf(target, "click");
    await this.guard("click", () =>
      this.doClick(path, options.button ?? "left", options.clickCount ?? 1, options.modifiers ?? []),
    );
    await this.checkLanding("click");
  }

  async clickAt(
    x: number,
    y: number,
    options: { button?: "left" | "right" | "middle"; clickCount?: number } = {},
  ) {
    await this.guard("clickAt", () =>
      this.doClickAt(x, y, options.button ?? "left", options.clickCount ?? 1),
    );
    await this.checkLanding("clickAt");
  }

  async type(
    target: Target,
    text: string,
    options: { clear?: boolean; delayMs?: number; keystrokes?: boolean } = {},
  ) {
    const path = await this.pathOf(target, "type");
    await this.guard("type", () =>
      this.doType(path, text, options.clear ?? true, options.delayMs ?? 0, options.keystrokes ?? false),
    );
  }

  async press(keys: string) {
    await this.guard("press", () => this.doPress(keys));
    await this.checkLanding("press");
  }

  async select(target: Target, values: string[]) {
    const path = await this.pathOf(target, "select");
    await this.guard("select", () => this.doSelect(path, values));
  }

  async hover(target: Target) {
    const path = await this.pathOf(target, "hover");
    await this.guard("hover", () => this.doHover(path));
  }

  async scrollTo(position: { x: number; y: number }) {
    await this.guard("scrollTo", () =>
      this.evalExpression(`window.scrollTo(${Number(position.x)}, ${Number(position.y)})`),
    );
  }

  async scrollIntoView(target: Target) {
    const path = await this.pathOf(target, "scrollIntoView");
    await this.guard("scrollIntoView", () =>
      this.callPage(`td.resolve(${JSON.stringify(path)}).scrollIntoView({ block: "center" })`),
    );
  }

  async dragAndDrop(source: Target, destination: Target) {
    const from = await this.pathOf(source, "dragAndDrop");
    const to = await this.pathOf(destination, "dragAndDrop");
    await this.guard("dragAndDrop", () => this.doDrag(from, to));
  }

  async uploadFiles(target: Target, files: string[]) {
    const path = await this.pathOf(target, "uploadFiles");
    await this.guard("uploadFiles", () => this.doUpload(path, files));
  }

  async exists(target: Target): Promise<boolean> {
    const path = this.toPath(target);
    return (await this.guard("exists", () => this.callPage<number>(`td.count(${JSON.stringify(path)})`))) > 0;
  }

  async textOf(target: Target): Promise<string> {
    const path = await this.pathOf(target, "textOf");
    const text = await this.guard("textOf", () =>
      this.callPage<string | null>(`td.textOf(${JSON.stringify(path)})`),
    );
    if (text === null) throw new ElementNotFoundError(target);
    return text;
  }

  describe(target: Target): Promise<ElementDescription | null> {
    const path = this.toPath(target);
    return this.guard("describe", () =>
      this.callPage<ElementDescription | null>(`td.describe(${JSON.stringify(path)})`),
    );
  }

  pageText(): Promise<string> {
    return this.guard("pageText", () => this.callPage<string>("td.pageText()"));
  }

  actionability(target: Target): Promise<Actionability> {
    const path = this.toPath(target);
    return this.guard("actionability", () =>
      this.callPage<Actionability>(`td.actionable(${JSON.stringify(path)})`),
    );
  }

  pageState(): Promise<PageState> {
    return this.guard("pageState", () => this.callPage<PageState>("td.state()"));
  }

  screenshot(options: { fullPage?: boolean } = {}): Promise<Buffer> {
    return this.guard("screenshot", () => this.doScreenshot(options.fullPage ?? false));
  }

  executeScript<T = unknown>(script: string, ...args: unknown[]): Promise<T> {
    if (!this.options.allowScripts) return Promise.reject(new ScriptsDisabledError());
    return this.guard("executeScript", () => this.runUserScript<T>(script, args));
  }

  evaluate<T>(expression: string): Promise<T> {
    return this.guard("evaluate", () => this.evalExpression<T>(expression));
  }

  // --- state ----------------------------------------------------------------------------------------------
  getCookies() {
    return this.guard("getCookies", () => this.doGetCookies());
  }
  setCookies(cookies: Cookie[]) {
    return this.guard("setCookies", () => this.doSetCookies(cookies));
  }
  clearCookies() {
    return this.guard("clearCookies", () => this.doClearCookies());
  }

  getStorage(kind: StorageKind): Promise<Record<string, string>> {
    return this.guard("getStorage", () =>
      this.evalExpression<Record<string, string>>(
        `(function (s) { var o = {}; for (var i = 0; i < s.length; i++) { var k = s.key(i); o[k] = s.getItem(k); } return o; })(${kind}Storage)`,
      ),
    );
  }

  async setStorage(kind: StorageKind, entries: Record<string, string>): Promise<void> {
    await this.guard("setStorage", () =>
      this.evalExpression(
        `(function (s, e) { Object.keys(e).forEach(function (k) { s.setItem(k, e[k]); }); return true; })(${kind}Storage, ${JSON.stringify(entries)})`,
      ),
    );
  }

  async clearStorage(kind: StorageKind): Promise<void> {
    await this.guard("clearStorage", () => this.evalExpression(`(${kind}Storage.clear(), true)`));
  }

  getViewport(): Promise<Viewport> {
    return this.guard("getViewport", () =>
      this.evalExpression<Viewport>("({ width: window.innerWidth, height: window.innerHeight })"),
    );
  }

  setViewport(viewport: Viewport) {
    return this.guard("setViewport", () => this.doSetViewport(viewport));
  }

  consoleLogs(): ConsoleEntry[] {
    return [...this.consoleEntries];
  }

  jsErrors(): JsError[] {
    return [...this.errors];
  }

  network(): NetworkExchange[] {
    return [...this.exchanges.values()];
  }

  pendingRequests(): string[] {
    return [...this.exchanges.values()].filter((e) => e.finishedAt === undefined).map((e) => e.url);
  }

  protected recordRequest(exchange: NetworkExchange) {
    this.exchanges.set(exchange.id, exchange);
    if (this.exchanges.size > MAX_LOG_ENTRIES) {
      for (const [id, e] of this.exchanges) {
        if (this.exchanges.size <= MAX_LOG_ENTRIES) break;
        if (e.finishedAt !== undefined) this.exchanges.delete(id);
      }
    }
  }

  protected finishRequest(id: string, update: Partial<NetworkExchange>) {
    const exchange = this.exchanges.get(id);
    if (!exchange || exchange.finishedAt !== undefined) return;
    const finishedAt = update.finishedAt ?? Date.now();
    Object.assign(exchange, update, { finishedAt, durationMs: finishedAt - exchange.startedAt });
  }

  async accessibilitySnapshot(): Promise<AccessibilitySnapshot> {
    const snapshot = await this.guard("accessibilitySnapshot", () =>
      this.callPage<AccessibilitySnapshot>("td.snapshot()"),
    );
    this.refs = new Map(snapshot.nodes.map((n) => [n.ref, n.path]));
    return snapshot;
  }

  /** Runs once when the session ends, by close() or because its browser died. */
  onClose(hook: () => void): void {
    if (this.closed) hook();
    else this.closeHooks.push(hook);
  }

  /** After a crash: closed at once, and what the framework still holds (a driver process) let go meanwhile. */
  private abandon() {
    if (this.closed) return;
    this.markClosed();
    void this.doClose().catch(() => {});
  }

  private markClosed() {
    if (this.closed) return;
    this.closed = true;
    for (const hook of this.closeHooks.splice(0)) hook();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.markClosed();
    await this.doClose().catch(() => {});
  }
}
