import { z } from "zod";
import { crop, decodePng, encodePng, pngSize } from "../../domain/vision/image.js";
import {
  AdapterError,
  type AdapterHealth,
  type BoundingBox,
  type ElementLocation,
  ElementNotFoundError,
  type LifecycleState,
  type OCRResult,
  type Screen,
  type ScreenComparison,
  type VisionAdapter,
  VisionInputError,
  type VisualStateVerification,
} from "../../domain/vision/model.js";
import type { LocalVision } from "./local-vision.js";
import { ANSWERS, type Operation, parseAnswer, SYSTEM, toLocation } from "./model-answers.js";
import {
  type CallFailure,
  DEFAULT_RETRY_POLICY,
  RetriesExhaustedError,
  type RetryPolicy,
  withRetries,
} from "./resilience.js";
import { ResponseCache } from "./response-cache.js";

/** One structured question to a vision model: a system text, a prompt, images, and the JSON Schema to answer in. */
export interface ModelRequest {
  operation: string;
  system: string;
  prompt: string;
  images: Buffer[];
  schema: Record<string, unknown>;
  /** The earlier answer and what was wrong with it, on the repair attempt. */
  repair?: { answer: string; problem: string };
}

export interface ModelAdapterOptions {
  model: string;
  retry?: Partial<RetryPolicy>;
  cache?: ResponseCache | false;
  /** Confidence below which findElement reports nothing found. */
  minConfidence?: number;
}

/**
 * The shared body of the model-backed adapters (OpenAI, Ollama): prompts, answer validation with zod and one
 * repair attempt, retries with backoff, timeouts, and the response cache. Subclasses only carry the question
 * to their service. Embeddings and pixel comparison are local; a model adds the description of changes.
 */
export abstract class ModelVisionAdapter implements VisionAdapter {
  abstract readonly name: string;
  state: LifecycleState = "uninitialized";
  readonly model: string;
  private readonly policy: RetryPolicy;
  private readonly cache: ResponseCache | undefined;
  private readonly recent: boolean[] = [];

  constructor(
    protected readonly local: LocalVision,
    private readonly options: ModelAdapterOptions,
  ) {
    if (!options.model?.trim()) throw new VisionInputError("model", "is required (the model's name)");
    this.model = options.model;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.cache = options.cache === false ? undefined : (options.cache ?? new ResponseCache());
  }

  /** Sends one request and returns the model's raw text answer. */
  protected abstract send(request: ModelRequest, signal: AbortSignal): Promise<string>;
  /** A cheap call that proves the service answers and has the model. */
  protected abstract ping(signal: AbortSignal): Promise<void>;
  protected abstract classify(error: unknown, timedOut: boolean): CallFailure;

  async initialize(): Promise<void> {
    this.state = "initializing";
    try {
      await withRetries(
        this.policy,
        (signal) => this.ping(signal),
        (e, t) => this.classify(e, t),
      );
      this.state = "ready";
    } catch (error) {
      this.state = "failed";
      throw new AdapterError(
        this.name,
        `cannot reach the model service: ${(error as Error).message}`,
        true,
        error,
      );
    }
  }

  async shutdown(): Promise<void> {
    this.state = "stopped";
  }

  private record(ok: boolean) {
    this.recent.push(ok);
    if (this.recent.length > 50) this.recent.shift();
  }

  get errorRate(): number {
    return this.recent.length ? this.recent.filter((ok) => !ok).length / this.recent.length : 0;
  }

  async healthCheck(): Promise<AdapterHealth> {
    const started = performance.now();
    try {
      await withRetries(
        { ...this.policy, retries: 0 },
        (signal) => this.ping(signal),
        (e, t) => this.classify(e, t),
      );
      const rate = this.errorRate;
      if (this.state !== "stopped") this.state = rate > 0.05 ? "degraded" : "ready";
      return {
        status: rate > 0.05 ? "degraded" : "healthy",
        latency_ms: performance.now() - started,
        error_rate: rate,
        details: `${this.model} answers`,
      };
    } catch (error) {
      if (this.state !== "stopped") this.state = "failed";
      return {
        status: "failed",
        latency_ms: performance.now() - started,
        error_rate: this.errorRate,
        details: (error as Error).message,
      };
    }
  }

  /** Asks, validates, repairs once; caches valid answers. */
  private async ask<O extends Operation>(
    operation: O,
    prompt: string,
    images: Buffer[],
  ): Promise<z.infer<(typeof ANSWERS)[O]>> {
    if (this.state === "stopped") throw new AdapterError(this.name, "has been shut down");
    const schema = ANSWERS[operation];
    const key = ResponseCache.key({ images, operation, prompt, model: this.model });
    const cached = this.cache?.get<z.infer<(typeof ANSWERS)[O]>>(key);
    if (cached) return cached;
    const request: ModelRequest = {
      operation,
      system: `${SYSTEM}\nTask: ${operation}`,
      prompt,
      images,
      schema: z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>,
    };
    let problem = "";
    for (let attempt = 1; attempt <= 2; attempt++) {
      let answer: string;
      try {
        answer = await withRetries(
          this.policy,
          (signal) => this.send(request, signal),
          (e, t) => this.classify(e, t),
        );
      } catch (error) {
        this.record(false);
        const last = error instanceof RetriesExhaustedError ? error.last : undefined;
        throw new AdapterError(
          this.name,
          `${operation} failed: ${(error as Error).message}`,
          last?.retriable,
          error,
        );
      }
      const parsed = parseAnswer(answer, schema);
      if (parsed.ok) {
        this.record(true);
        this.cache?.set(key, parsed.value);
        return parsed.value as z.infer<(typeof ANSWERS)[O]>;
      }
      problem = parsed.problem;
      request.repair = { answer, problem };
    }
    this.record(false);
    throw new AdapterError(
      this.name,
      `${operation}: the model's answer was malformed twice; last problem: ${problem}`,
    );
  }

  private sized(png: Buffer): string {
    const { width, height } = pngSize(png, "screen.png");
    return `The screenshot is ${width}×${height} pixels.`;
  }

  async describeScreen(screen: Screen, context?: string): Promise<string> {
    const answer = await this.ask(
      "describe_screen",
      `${this.sized(screen.png)} Describe what the screen shows: its purpose, headings, fields, buttons, links and messages.${context ? ` Focus on: ${context}` : ""}`,
      [screen.png],
    );
    return answer.description;
  }

  async findMultipleElements(screen: Screen, prompt: string, maxResults = 10): Promise<ElementLocation[]> {
    if (!prompt.trim()) throw new VisionInputError("prompt", "is empty");
    const answer = await this.ask(
      "find_multiple_elements",
      `${this.sized(screen.png)} Find up to ${maxResults} elements that fit: ${prompt}`,
      [screen.png],
    );
    return answer.elements
      .map((e) => toLocation(e))
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, maxResults);
  }

  async findElement(screen: Screen, prompt: string, context?: string): Promise<ElementLocation> {
    if (!prompt.trim()) throw new VisionInputError("prompt", "is empty");
    const answer = await this.ask(
      "find_element",
      `${this.sized(screen.png)} Find the element: ${prompt}.${context ? ` Context: ${context}` : ""} Set found false if it is not visible.`,
      [screen.png],
    );
    const min = this.options.minConfidence ?? 0.5;
    if (!answer.found || !answer.element || answer.element.confidence < min)
      throw new ElementNotFoundError(prompt, answer.element?.confidence ?? 0);
    return toLocation(answer.element);
  }

  async ocr(screen: Screen, region?: BoundingBox, language?: string): Promise<OCRResult[]> {
    const image = region ? encodePng(crop(decodePng(screen.png, "screen.png"), region)) : screen.png;
    const answer = await this.ask(
      "ocr",
      `${this.sized(image)}${region ? ` It is the region ${JSON.stringify(region)} of a larger screenshot; give boxes relative to this image.` : ""} Read every line of text${language ? ` (language ${language})` : ""}, with its box.`,
      [image],
    );
    return answer.lines.map((l) => ({
      text: l.text,
      bounding_box: region ? { ...l.box, x: l.box.x + region.x, y: l.box.y + region.y } : l.box,
      confidence: l.confidence,
      ...(language ? { language } : {}),
    }));
  }

  async compareScreens(a: Screen, b: Screen, ignoreRegions?: BoundingBox[]): Promise<ScreenComparison> {
    const measured = await this.local.compare(a, b, ignoreRegions);
    if (measured.differences.length === 0) return measured;
    // Only a changed screen is worth the model's time: it says what changed in words.
    const answer = await this.ask(
      "compare_screens",
      `Two screenshots of the same page, before and after. Pixels differ in these regions: ${JSON.stringify(measured.differences.slice(0, 10))}. Say briefly what changed for a user.`,
      [a.png, b.png],
    );
    return { ...measured, semantic_changes: answer.changes };
  }

  async verifyVisualState(screen: Screen, expectedState: string): Promise<VisualStateVerification> {
    if (!expectedState.trim()) throw new VisionInputError("expected_state", "is empty");
    return this.ask(
      "verify_visual_state",
      `${this.sized(screen.png)} Does the screen match this expected state? ${expectedState}`,
      [screen.png],
    );
  }

  embeddingModel(): Promise<string> {
    return this.local.embeddingModel();
  }

  generateEmbedding(screen: Screen, region?: BoundingBox): Promise<Float32Array> {
    return this.local.embed(screen.png, region);
  }
}
