import type { BlobStore } from "./blobs.js";

/** What a browser session shows of a page: elements, snapshots of its state, forms, waits. Plain data. */

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
  /** Its row or card's text and the nearest heading before it, as the engine records them from a snapshot. */
  surroundings?: {
    context?: string;
    heading?: string;
    headingBox?: { x: number; y: number; width: number; height: number };
  };
  /** How many elements the target matched (the description is of the first). */
  matches: number;
}

/** A form field as a person left it: text typed, a box ticked, options chosen. */
export type FormField =
  | { path: ElementPath; kind: "text"; value: string }
  | { path: ElementPath; kind: "check"; checked: boolean }
  | { path: ElementPath; kind: "select"; values: string[] };

/** A changed field whose value a snapshot must not hold; a resume types it again from the run's steps. */
export interface OmittedField {
  path: ElementPath;
  reason: "password" | "secret" | "too long";
}

/** What a snapshot keeps of a page's forms (see page-forms.ts for what counts as changed). */
export interface FormSnapshot {
  fields: FormField[];
  omitted: OmittedField[];
  focused: ElementPath | null;
}

export type FieldState =
  | { kind: "text" | "password"; value: string }
  | { kind: "check"; checked: boolean }
  | { kind: "select"; values: string[]; labels?: string[] };

export interface FormRestoreReport {
  restored: number;
  /** Fields that could not be set, or did not keep the value (the page changed it back). */
  failed: { path: ElementPath; reason: string }[];
}

/** The spec's StateSnapshot (§3.1): enough to see, and to restore, where a run stood. */
export interface StateSnapshot {
  snapshotId: string;
  runId: string;
  stepId: string;
  timestamp: string;
  url: string;
  pageTitle: string;
  domHash: string;
  viewport: Viewport;
  scrollPosition: { x: number; y: number };
  cookies: Cookie[];
  localStorage: Record<string, string>;
  sessionStorage: Record<string, string>;
  pendingRequests: string[];
  recentResponses: { url: string; method: string; status?: number; failure?: string; durationMs?: number }[];
  consoleLogs: ConsoleEntry[];
  jsErrors: JsError[];
  executedSteps: string[];
  testData: Record<string, unknown>;
  /** sha256 of the PNG in the blob store. */
  screenshotHash?: string;
  /**
   * When the document began loading (performance.timeOrigin): two snapshots with the same value saw the same
   * document, so the steps between them acted on it. Absent in snapshots taken before it was recorded.
   */
  documentLoadedAt?: number;
  /** What was typed, ticked and chosen in the page's forms, and the focused element (secrets left out). */
  forms?: FormSnapshot;
}

/** The console messages of level error a snapshot holds. */
export const consoleErrorsOf = (snapshot: StateSnapshot) =>
  snapshot.consoleLogs.filter((l) => l.level === "error").map((l) => l.text);

/** The requests a snapshot saw fail, or answered with a 4xx or 5xx status. */
export const failedRequestsOf = (snapshot: StateSnapshot) =>
  snapshot.recentResponses.filter((r) => r.failure || (r.status ?? 0) >= 400);

export interface CaptureContext {
  runId: string;
  stepId: string;
  executedSteps?: string[];
  testData?: Record<string, unknown>;
  /** Where the screenshot goes; without one no screenshot is taken. */
  blobs?: BlobStore;
  recentLimit?: number;
  /** Values that must never be stored (secret steps' values, environment values typed): fields holding one are left out. */
  secrets?: readonly string[];
}

export interface RestoreReport {
  url: string;
  urlMatches: boolean;
  storageMatches: boolean;
  scrollMatches: boolean;
}

/** The outcome of a wait (spec §3.2 WaitResult). A wait never throws for a timeout; it reports it. */
export interface WaitResult {
  success: boolean;
  durationMs: number;
  attempts: number;
  reason: string;
  finalState?: unknown;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/** Whether a field shows what was wanted of it. */
export function fieldMatches(field: FormField, state: FieldState | null): boolean {
  if (!state) return false;
  if (field.kind === "check") return state.kind === "check" && state.checked === field.checked;
  if (field.kind === "select")
    return (
      state.kind === "select" && [...state.values].sort().join("\n") === [...field.values].sort().join("\n")
    );
  return (state.kind === "text" || state.kind === "password") && state.value === field.value;
}
/** Form fields by element path, as a resume needs them
: read, set, compare paths, focus. */
export interface FormAccess {
  read(): Promise<FormSnapshot>;
  readFields(paths: ElementPath[]): Promise<(FieldState | null)[]>;
  restoreFields(fields: FormField[], options?: { waitMs?: number }): Promise<FormRestoreReport>;
  focus(path: ElementPath): Promise<boolean>;
  /** For each path, the index of the path in `among` that finds the same element now, or -1. */
  matchPaths(paths: ElementPath[], among: ElementPath[]): Promise<number[]>;
}

/** The adaptive waits (spec §3.2), each reporting a WaitResult instead of throwing. */
export interface SessionWaits {
  networkIdle(options?: WaitOptions & { idleMs?: number }): Promise<WaitResult>;
  domQuiet(options?: WaitOptions & { quietMs?: number }): Promise<WaitResult>;
  visualStability(options?: WaitOptions & { threshold?: number; intervalMs?: number }): Promise<WaitResult>;
}

/** Where snapshots are kept, by content. */
export interface SnapshotStore {
  put(snapshot: StateSnapshot): Promise<string>;
  load(hash: string): Promise<StateSnapshot>;
}
