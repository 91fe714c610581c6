/** The execution layer's contract (spec §2.3): what the run engine may ask of any browser framework. */

export type DriverKind = "playwright" | "webdriverio";
export type WaitUntil = "load" | "domcontentloaded" | "networkidle";

import type {
  AccessibilitySnapshot,
  Actionability,
  CaptureContext,
  ConsoleEntry,
  Cookie,
  ElementDescription,
  FormAccess,
  JsError,
  NetworkExchange,
  PageState,
  RestoreReport,
  SessionWaits,
  StateSnapshot,
  StorageKind,
  Target,
  Viewport,
} from "./page.js";

export type * from "./page.js";
export { consoleErrorsOf, failedRequestsOf } from "./page.js";

/** What a framework can do; the engine asks instead of assuming. Nothing here is faked. */
export interface DriverCapabilities {
  networkCapture: boolean;
  /** JSON response bodies of fetch/XHR requests are captured (API assertions on bodies need them). */
  responseBodies: boolean;
  consoleCapture: boolean;
  networkInterception: boolean;
  videoRecording: boolean;
  fullPageScreenshot: boolean;
  fileUpload: boolean;
  dragAndDrop: boolean;
  /** Several isolated sessions share one browser process. */
  sharedBrowserProcess: boolean;
}

export interface SessionOptions {
  viewport?: Viewport;
  /** Origins the session may navigate to, besides loopback (see UrlPolicy). */
  allowedHosts?: string[];
  allowScripts?: boolean;
  defaultTimeoutMs?: number;
  /** The network gate every request of the session goes through, loopback included (`http://127.0.0.1:port`). */
  proxyServer?: string;
}

/** Keys held during a click. */
export type Modifier = "Alt" | "Control" | "Meta" | "Shift";

/** A request the network gate did not let out: its URL (or host:port of a tunnel), host, why, when (epoch ms). */
export interface RefusedRequest {
  url: string;
  host: string;
  reason: string;
  at: number;
}

/** One isolated browsing session: its own cookies and storage, one page. */
export interface TabInfo {
  index: number;
  url: string;
  title: string;
  current: boolean;
}

/** A tab by its position, or by text its URL or title contains. */
export interface TabMatch {
  index?: number;
  urlContains?: string;
  titleContains?: string;
}

export interface DialogAnswer {
  accept: boolean;
  promptText?: string;
}

export interface DialogRecord {
  type: "alert" | "confirm" | "prompt" | "beforeunload";
  message: string;
  accepted: boolean;
  promptText?: string;
  /** False when no answer was given before it opened: it was dismissed, as browsers' drivers do. */
  answered: boolean;
  at: number;
}

export interface BrowserSession {
  readonly kind: DriverKind;
  readonly capabilities: DriverCapabilities;

  navigate(url: string, options?: { waitUntil?: WaitUntil; timeoutMs?: number }): Promise<void>;
  reload(options?: { waitUntil?: WaitUntil }): Promise<void>;
  /** One step back (-1) or forward (1) in the session's history. */
  history(delta: -1 | 1, options?: { waitUntil?: WaitUntil }): Promise<void>;
  waitForNavigation(options?: { timeoutMs?: number; waitUntil?: WaitUntil }): Promise<void>;
  currentUrl(): Promise<string>;
  title(): Promise<string>;
  pageSource(): Promise<string>;

  click(
    target: Target,
    options?: { button?: "left" | "right" | "middle"; clickCount?: number; modifiers?: Modifier[] },
  ): Promise<void>;
  clickAt(
    x: number,
    y: number,
    options?: { button?: "left" | "right" | "middle"; clickCount?: number },
  ): Promise<void>;
  /** Fills the field (fast, like a paste) unless `keystrokes` or a delay asks for real key events. */
  type(
    target: Target,
    text: string,
    options?: { clear?: boolean; delayMs?: number; keystrokes?: boolean },
  ): Promise<void>;
  /** Keys in Playwright's notation: "Enter", "Tab", "Control+A". */
  press(keys: string): Promise<void>;
  select(target: Target, values: string[]): Promise<void>;
  hover(target: Target): Promise<void>;
  scrollTo(position: { x: number; y: number }): Promise<void>;
  scrollIntoView(target: Target): Promise<void>;
  dragAndDrop(source: Target, destination: Target): Promise<void>;
  uploadFiles(target: Target, paths: string[]): Promise<void>;
  /** Whether the target matches an element now (no waiting). */
  exists(target: Target): Promise<boolean>;
  /** The element's visible text or, for form fields, its value. */
  textOf(target: Target): Promise<string>;

  screenshot(options?: { fullPage?: boolean }): Promise<Buffer>;
  /** User scripts (plan steps, MCP calls); refused unless the configuration allows them. */
  executeScript<T = unknown>(script: string, ...args: unknown[]): Promise<T>;
  /** TestDriver's own in-page functions (snapshots, waits); never user input. */
  evaluate<T>(expression: string): Promise<T>;

  getCookies(): Promise<Cookie[]>;
  setCookies(cookies: Cookie[]): Promise<void>;
  clearCookies(): Promise<void>;
  getStorage(kind: StorageKind): Promise<Record<string, string>>;
  setStorage(kind: StorageKind, entries: Record<string, string>): Promise<void>;
  clearStorage(kind: StorageKind): Promise<void>;
  getViewport(): Promise<Viewport>;
  setViewport(viewport: Viewport): Promise<void>;

  consoleLogs(): ConsoleEntry[];
  jsErrors(): JsError[];
  network(): NetworkExchange[];
  /** URLs of requests started and not yet finished or failed. */
  pendingRequests(): string[];

  /** The session's tabs (a popup the page opens becomes one), in the order they opened. */
  tabs(): Promise<TabInfo[]>;
  /** Makes a tab the one later calls act on, waiting for it to open (a popup opens after its click). */
  switchTab(match: TabMatch, options?: { timeoutMs?: number }): Promise<TabInfo>;
  /** Closes a tab (the current one by default) and returns to the tab used before it. */
  closeTab(index?: number): Promise<TabInfo>;
  /**
   * How to answer the page's next JavaScript dialog (alert, confirm, prompt). Returns the dialog already
   * answered since the last call when there was one, else undefined: the answer waits for the next.
   */
  answerDialog(answer: DialogAnswer): DialogRecord | undefined;
  /** The dialogs the page opened and how each was answered, oldest first. */
  dialogs(): DialogRecord[];
  accessibilitySnapshot(): Promise<AccessibilitySnapshot>;
  /** URL, title, scroll, viewport and the DOM mutation clock, in one round trip. */
  pageState(): Promise<PageState>;
  actionability(target: Target): Promise<Actionability>;
  /** The element a target resolves to, described like a snapshot node; null when nothing matches. */
  describe(target: Target): Promise<ElementDescription | null>;
  /** The page's visible text, through open shadow roots and same-origin frames, whitespace collapsed. */
  pageText(): Promise<string>;

  /** The page's state for a snapshot (spec §3.1): in-page reads in one round trip, cookies, a screenshot. */
  captureState(context: CaptureContext): Promise<StateSnapshot>;
  /** Brings a snapshot back into this session: viewport, cookies, storage, URL and scroll. */
  restoreState(snapshot: StateSnapshot): Promise<RestoreReport>;
  /** The page's form fields by element path. */
  readonly forms: FormAccess;
  /** The adaptive waits on this session's page. */
  readonly waits: SessionWaits;

  /**
   * Requests the network gate refused since the last call (navigations, subresources, fetch, WebSockets,
   * beacons, popups), oldest first; absent when the session is not behind the gate (a remote browser).
   */
  takeRefusedRequests?(): RefusedRequest[];
  /** Runs once when the session ends, by close() or because its browser died. */
  onClose(hook: () => void): void;
  close(): Promise<void>;
  readonly closed: boolean;
}

/** One framework over one browser process, handing out isolated sessions. */
export interface BrowserDriver {
  readonly kind: DriverKind;
  readonly capabilities: DriverCapabilities;
  launch(): Promise<void>;
  newSession(options?: SessionOptions): Promise<BrowserSession>;
  isAlive(): boolean;
  close(): Promise<void>;
}

export class BrowserCrashedError extends Error {
  override readonly name = "BrowserCrashedError";
  constructor(kind: DriverKind, operation: string, cause?: unknown) {
    super(`the ${kind} browser process died during ${operation}; this session is lost, start the run again`, {
      cause,
    });
  }
}

export class ElementNotFoundError extends Error {
  override readonly name = "ElementNotFoundError";
  constructor(
    readonly target: Target,
    detail = "",
  ) {
    super(`no element matches ${JSON.stringify(target)}${detail ? `: ${detail}` : ""}`);
  }
}

export class UnknownRefError extends Error {
  override readonly name = "UnknownRefError";
  constructor(readonly ref: string) {
    super(`unknown element ref ${ref}: refs come from the latest accessibility snapshot of this session`);
  }
}

/** Where runs get their browser sessions: isolated, at most so many at once, the rest waiting in line. */
export interface SessionPool {
  acquire(kind: DriverKind, options?: SessionOptions): Promise<BrowserSession>;
}
