/** The execution layer's contract (spec §2.3): what the run engine may ask of any browser framework. */

export type DriverKind = "playwright" | "webdriverio";
export type WaitUntil = "load" | "domcontentloaded" | "networkidle";

/**
 * Where an element is: frames (CSS selectors of nested iframes, outermost first), shadow hosts (CSS selectors
 * of open shadow hosts, outermost first, each inside the previous one's shadow root) and the element's own
 * selector inside the innermost root.
 */
export interface ElementPath {
  frames: string[];
  hosts: string[];
  selector: string;
  /** When set, used instead of `selector`, relative to the innermost root. */
  xpath?: string;
}

/** A step target: a CSS or XPath selector (optionally inside an iframe), a ref from the last snapshot, or a path. */
export type Target =
  | { css: string; frame?: string }
  | { xpath: string; frame?: string }
  | { ref: string }
  | { path: ElementPath };

export interface BoundingBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface AccessibilityNode {
  /** Valid for the session until the next snapshot replaces it; also resolvable through `path`. */
  ref: string;
  role: string;
  name: string;
  tag: string;
  text: string;
  value?: string;
  level?: number;
  states: {
    disabled?: boolean;
    checked?: boolean | "mixed";
    expanded?: boolean;
    selected?: boolean;
    required?: boolean;
    invalid?: boolean;
    focused?: boolean;
    readonly?: boolean;
  };
  attributes: Record<string, string>;
  box: BoundingBox;
  /** Whether the element's centre is inside the viewport. */
  inViewport: boolean;
  path: ElementPath;
  /** Tag path from the root, e.g. "html>body>form>label>input". */
  domPath: string;
  parentRef?: string;
  depth: number;
}

export interface AccessibilitySnapshot {
  url: string;
  title: string;
  nodes: AccessibilityNode[];
  /** Iframes whose content could not be read (cross-origin). */
  skippedFrames: string[];
}

export interface ConsoleEntry {
  level: "log" | "info" | "warn" | "error" | "debug";
  text: string;
  timestamp: number;
  source?: string;
}

export interface JsError {
  message: string;
  stack?: string;
  timestamp: number;
}

export interface NetworkExchange {
  id: string;
  url: string;
  method: string;
  resourceType?: string;
  requestHeaders: Record<string, string>;
  startedAt: number;
  status?: number;
  responseHeaders?: Record<string, string>;
  finishedAt?: number;
  durationMs?: number;
  /** Set when the request failed without a response (refused, aborted, DNS). */
  failure?: string;
  /** The body of a JSON response to a fetch or XHR, up to 256 KiB, where the driver can read bodies. */
  responseBody?: string;
}

export interface Cookie {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  expires?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: "Strict" | "Lax" | "None";
}

export type StorageKind = "local" | "session";

export interface Viewport {
  width: number;
  height: number;
}

export interface PageState {
  url: string;
  title: string;
  scroll: { x: number; y: number };
  viewport: Viewport;
  /** Epoch ms of the last DOM mutation seen by the page library, and the page's clock now. */
  lastMutation: number;
  mutations: number;
  now: number;
  readyState: string;
}

/** Whether an element can take a user's action now (spec §3.2 element actionable). */
export interface Actionability {
  found: boolean;
  ok?: boolean;
  visible?: boolean;
  stable?: boolean;
  enabled?: boolean;
  covered?: boolean;
  reason: string;
  box?: BoundingBox;
}

/** An element as a snapshot node would describe it; `ref` is its node's ref in the latest snapshot, if any. */
export interface ElementDescription
  extends Omit<AccessibilityNode, "ref" | "inViewport" | "depth" | "parentRef" | "value" | "level"> {
  ref: string | null;
  /** Names of the nearest listed elements before and after it, as a snapshot would order them. */
  neighbours: string[];
  /** How many elements the target matched (the description is of the first). */
  matches: number;
}

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
}

/** Keys held during a click. */
export type Modifier = "Alt" | "Control" | "Meta" | "Shift";

/** One isolated browsing session: its own cookies and storage, one page. */
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
  accessibilitySnapshot(): Promise<AccessibilitySnapshot>;
  /** URL, title, scroll, viewport and the DOM mutation clock, in one round trip. */
  pageState(): Promise<PageState>;
  actionability(target: Target): Promise<Actionability>;
  /** The element a target resolves to, described like a snapshot node; null when nothing matches. */
  describe(target: Target): Promise<ElementDescription | null>;
  /** The page's visible text, through open shadow roots and same-origin frames, whitespace collapsed. */
  pageText(): Promise<string>;

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
