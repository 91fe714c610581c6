import type {
  AccessibilitySnapshot,
  Actionability,
  BrowserSession,
  CaptureContext,
  ConsoleEntry,
  Cookie,
  ElementDescription,
  FormAccess,
  JsError,
  Modifier,
  NetworkExchange,
  PageState,
  RestoreReport,
  SessionWaits,
  StateSnapshot,
  StorageKind,
  Target,
  Viewport,
} from "../../ports/browser.js";
import { ElementNotFoundError } from "../../ports/browser.js";
import { focusElement, matchPaths, readFields, readForms, restoreFields } from "./form-state.js";
import { TabSession } from "./session-tabs.js";
import { captureSnapshot, restoreSnapshot } from "./snapshot.js";
import { ScriptsDisabledError } from "./url-policy.js";
import { waitForDomQuiescence, waitForNetworkIdle, waitForVisualStability } from "./waits.js";

export { UrlRefusedError } from "./url-policy.js";

/**
 * What both adapters share. Subclasses supply the framework primitives (see SessionCore); everything that
 * can be done with an in-page evaluation is done here once.
 */
export abstract class BaseSession extends TabSession implements BrowserSession {
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
    return [...this.records.consoleEntries];
  }

  jsErrors(): JsError[] {
    return [...this.records.errors];
  }

  network(): NetworkExchange[] {
    return [...this.records.exchanges.values()];
  }

  pendingRequests(): string[] {
    return this.records.pendingRequests();
  }

  async accessibilitySnapshot(): Promise<AccessibilitySnapshot> {
    const snapshot = await this.guard("accessibilitySnapshot", () =>
      this.callPage<AccessibilitySnapshot>("td.snapshot()"),
    );
    this.refs = new Map(snapshot.nodes.map((n) => [n.ref, n.path]));
    return snapshot;
  }
}
