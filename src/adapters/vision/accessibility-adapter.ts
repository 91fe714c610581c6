import { matchNodes } from "../../domain/locate/match.js";
import {
  type AdapterHealth,
  type BoundingBox,
  centerOf,
  type ElementLocation,
  ElementNotFoundError,
  elementTypeOfRole,
  type LifecycleState,
  type OCRResult,
  type Screen,
  type ScreenComparison,
  type ScreenNode,
  type VisionAdapter,
  VisionInputError,
  type VisualStateVerification,
} from "../../domain/vision/model.js";
import type { LocalVision } from "./local-vision.js";

const norm = (s: string) => s.replace(/\s+/g, " ").trim().toLowerCase();
const MIN_CONFIDENCE = 0.5;

function nodesOf(screen: Screen): readonly ScreenNode[] {
  if (!screen.nodes)
    throw new VisionInputError(
      "screen.nodes",
      "the accessibility adapter reads the page's accessibility snapshot; capture it with the screenshot",
    );
  return screen.nodes;
}

function locationOf(node: ScreenNode, confidence: number): ElementLocation {
  return {
    coordinates: centerOf(node.box),
    bounding_box: node.box,
    confidence,
    element_type: elementTypeOfRole(node.role),
    attributes: { role: node.role, name: node.name, tag: node.tag, ...node.attributes },
  };
}

// Quoted phrases in an expected state are texts that must be shown; without quotes, the whole statement is.
function expectedTexts(expected: string): string[] {
  const quoted = [...expected.matchAll(/["“'‘]([^"”'’]+)["”'’]/g)].map((m) => m[1]!);
  return quoted.length ? quoted : [expected];
}

/**
 * The zero-key default: answers from the page's accessibility snapshot (roles, names, boxes), with local
 * OCR, embeddings and comparison. No model, no network; exact about what the DOM says, blind to what only
 * pixels show (a canvas, an image's content).
 */
export class AccessibilityVisionAdapter implements VisionAdapter {
  readonly name = "accessibility";
  readonly model = "accessibility-tree";
  state: LifecycleState = "uninitialized";

  constructor(private readonly local: LocalVision) {}

  async initialize(): Promise<void> {
    this.state = "initializing";
    await this.local.embeddingModel();
    this.state = "ready";
  }

  async shutdown(): Promise<void> {
    this.state = "stopped";
  }

  async healthCheck(): Promise<AdapterHealth> {
    const started = performance.now();
    const ok = this.state === "ready";
    return {
      status: ok ? "healthy" : "failed",
      latency_ms: performance.now() - started,
      error_rate: 0,
      details: ok ? "reads the accessibility snapshot; needs nothing else" : `state ${this.state}`,
    };
  }

  async describeScreen(screen: Screen, context?: string): Promise<string> {
    const nodes = nodesOf(screen);
    const pick = (roles: string[]) => nodes.filter((n) => roles.includes(n.role) && (n.name || n.text));
    const label = (n: ScreenNode) => `"${(n.name || n.text).slice(0, 60)}"`;
    const parts = [
      screen.url ? `The page at ${screen.url}` : "The page",
      ...[
        ["headings", pick(["heading"])],
        ["alerts", pick(["alert", "status"])],
        ["buttons", pick(["button"])],
        ["links", pick(["link"])],
        ["fields", pick(["textbox", "searchbox", "combobox", "spinbutton", "checkbox", "radio"])],
      ].flatMap(([what, list]) =>
        (list as ScreenNode[]).length
          ? [`${what}: ${(list as ScreenNode[]).slice(0, 12).map(label).join(", ")}`]
          : [],
      ),
    ];
    const text = `${parts[0]} shows ${parts.slice(1).join("; ") || "no labelled elements"}.`;
    return context ? `${text} (Asked about: ${context}.)` : text;
  }

  async findMultipleElements(screen: Screen, prompt: string, maxResults = 10): Promise<ElementLocation[]> {
    if (!prompt.trim()) throw new VisionInputError("prompt", "is empty");
    return matchNodes([...nodesOf(screen)], prompt)
      .filter((m) => m.score >= MIN_CONFIDENCE && m.node.box.width > 0 && m.node.box.height > 0)
      .slice(0, maxResults)
      .map((m) => locationOf(m.node as ScreenNode, Math.min(1, m.score)));
  }

  async findElement(screen: Screen, prompt: string): Promise<ElementLocation> {
    const [best] = await this.findMultipleElements(screen, prompt, 1);
    if (!best) throw new ElementNotFoundError(prompt);
    return best;
  }

  ocr(screen: Screen, region?: BoundingBox, language?: string): Promise<OCRResult[]> {
    return this.local.ocr(screen.png, region, language);
  }

  compareScreens(a: Screen, b: Screen, ignoreRegions?: BoundingBox[]): Promise<ScreenComparison> {
    return this.local.compare(a, b, ignoreRegions);
  }

  async verifyVisualState(screen: Screen, expectedState: string): Promise<VisualStateVerification> {
    if (!expectedState.trim()) throw new VisionInputError("expected_state", "is empty");
    const shown = norm(
      nodesOf(screen)
        .map((n) => `${n.name} ${n.text}`)
        .join(" \n "),
    );
    const wanted = expectedTexts(expectedState);
    const missing = wanted.filter((t) => !shown.includes(norm(t)));
    return {
      matches: missing.length === 0,
      confidence: missing.length === 0 ? 0.9 : 0.95,
      discrepancies: missing.map((t) => `"${t}" is not shown`),
      explanation:
        missing.length === 0
          ? `The page shows ${wanted.map((t) => `"${t}"`).join(", ")}.`
          : `Missing from the page's text: ${missing.map((t) => `"${t}"`).join(", ")}.`,
    };
  }

  embeddingModel(): Promise<string> {
    return this.local.embeddingModel();
  }

  generateEmbedding(screen: Screen, region?: BoundingBox): Promise<Float32Array> {
    return this.local.embed(screen.png, region);
  }
}
