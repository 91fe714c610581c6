import {
  BrowserCrashedError,
  type Cookie,
  type DriverCapabilities,
  type DriverKind,
  ElementNotFoundError,
  type ElementPath,
  type Modifier,
  type Target,
  UnknownRefError,
  type Viewport,
  type WaitUntil,
} from "../../ports/browser.js";
import { MISSING, pageCall, pageCallIfInstalled } from "./page-script.js";
import { SessionRecords } from "./session-records.js";
import type { UrlPolicy } from "./url-policy.js";

export interface BaseSessionOptions {
  policy: UrlPolicy;
  allowScripts: boolean;
  timeoutMs: number;
}

/**
 * The ground every session stands on: the framework primitives an adapter supplies, the crash guard every
 * call goes through, calls into the page library, targets resolved to element paths, and the session's end.
 */
export abstract class SessionCore {
  abstract readonly kind: DriverKind;
  abstract readonly capabilities: DriverCapabilities;
  closed = false;

  /** Console messages, page errors and network exchanges, as the adapter hears them. */
  protected readonly records = new SessionRecords();
  protected refs = new Map<string, ElementPath>();
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
