import type { MatchableNode } from "../locate/match.js";

/**
 * The vision layer's contract (spec §2.2): what any vision adapter answers about a screen, in the spec's
 * data models. Field names follow the spec's snake_case so results serialise as the spec shows them.
 */

export interface BoundingBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const centerOf = (b: BoundingBox): [number, number] => [
  Math.round(b.x + b.width / 2),
  Math.round(b.y + b.height / 2),
];

export const ELEMENT_TYPES = [
  "button",
  "input",
  "link",
  "text",
  "image",
  "select",
  "checkbox",
  "radio",
  "unknown",
] as const;
export type ElementType = (typeof ELEMENT_TYPES)[number];

export interface ElementLocation {
  coordinates: [number, number];
  bounding_box: BoundingBox;
  confidence: number;
  element_type: ElementType;
  attributes: Record<string, unknown>;
}

export interface OCRResult {
  text: string;
  bounding_box: BoundingBox;
  confidence: number;
  language?: string;
}

export interface ScreenComparison {
  /** 1 means identical. */
  similarity_score: number;
  differences: BoundingBox[];
  semantic_changes: string;
  /** How the score was reached: share of differing pixels, structural similarity, embedding distance. */
  pixel_diff_ratio: number;
  ssim: number;
  embedding_distance?: number;
}

export interface VisualStateVerification {
  matches: boolean;
  confidence: number;
  discrepancies: string[];
  explanation: string;
}

export const LIFECYCLE_STATES = [
  "uninitialized",
  "initializing",
  "ready",
  "degraded",
  "failed",
  "stopped",
] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

export interface AdapterHealth {
  status: "healthy" | "degraded" | "failed";
  latency_ms: number;
  error_rate: number;
  details: string;
}

/** A screen element as the browser reports it: accessibility role and name with its box on the screenshot. */
export interface ScreenNode extends MatchableNode {
  box: BoundingBox;
}

/**
 * What an adapter looks at: the screenshot, and the page's accessibility nodes when they were captured with
 * it. Pixel-based adapters read the image; the accessibility adapter reads the nodes.
 */
export interface Screen {
  png: Buffer;
  nodes?: readonly ScreenNode[];
  url?: string;
}

export interface VisionAdapter {
  readonly name: string;
  /** The model that produced an answer (cache key, baseline embeddings are only compared within one). */
  readonly model: string;
  readonly state: LifecycleState;
  initialize(): Promise<void>;
  shutdown(): Promise<void>;
  healthCheck(): Promise<AdapterHealth>;
  describeScreen(screen: Screen, context?: string): Promise<string>;
  /** Throws ElementNotFoundError when nothing fits with enough confidence. */
  findElement(screen: Screen, prompt: string, context?: string): Promise<ElementLocation>;
  findMultipleElements(screen: Screen, prompt: string, maxResults?: number): Promise<ElementLocation[]>;
  ocr(screen: Screen, region?: BoundingBox, language?: string): Promise<OCRResult[]>;
  compareScreens(a: Screen, b: Screen, ignoreRegions?: BoundingBox[]): Promise<ScreenComparison>;
  verifyVisualState(screen: Screen, expectedState: string): Promise<VisualStateVerification>;
  generateEmbedding(screen: Screen, region?: BoundingBox): Promise<Float32Array>;
  /** The model behind generateEmbedding: embeddings are only comparable within one. */
  embeddingModel(): Promise<string>;
}

export class ElementNotFoundError extends Error {
  override readonly name = "ElementNotFoundError";
  constructor(
    readonly prompt: string,
    readonly bestConfidence = 0,
  ) {
    super(`no element fits "${prompt}" with enough confidence (best ${bestConfidence.toFixed(2)})`);
  }
}

/** A failure of the adapter itself (unreachable, malformed answers, timeouts): counts against its health. */
export class AdapterError extends Error {
  override readonly name = "AdapterError";
  constructor(
    readonly adapter: string,
    message: string,
    readonly retriable = false,
    override readonly cause?: unknown,
  ) {
    super(`${adapter}: ${message}`);
  }
}

/** Bad input from the caller: names the argument and the problem; never counts against the adapter. */
export class VisionInputError extends Error {
  override readonly name = "VisionInputError";
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

export function elementTypeOfRole(role: string): ElementType {
  switch (role) {
    case "button":
    case "menuitem":
    case "tab":
    case "switch":
      return "button";
    case "textbox":
    case "searchbox":
    case "spinbutton":
      return "input";
    case "link":
      return "link";
    case "img":
      return "image";
    case "combobox":
    case "listbox":
    case "option":
      return "select";
    case "checkbox":
      return "checkbox";
    case "radio":
      return "radio";
    case "heading":
    case "paragraph":
    case "StaticText":
    case "text":
    case "alert":
    case "status":
      return "text";
    default:
      return "unknown";
  }
}
