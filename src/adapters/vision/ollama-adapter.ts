import { type Message, Ollama } from "ollama";
import { crop, decodePng, encodePng } from "../../domain/vision/image.js";
import { type BoundingBox, type Screen, VisionInputError } from "../../domain/vision/model.js";
import type { LocalVision } from "./local-vision.js";
import { type ModelAdapterOptions, type ModelRequest, ModelVisionAdapter } from "./model-adapter.js";
import { type CallFailure, parseRetryAfter, retriableStatus } from "./resilience.js";

export interface OllamaVisionOptions extends ModelAdapterOptions {
  /** Ollama's address; http://127.0.0.1:11434 by default. */
  host?: string;
  /**
   * A text-embedding model (nomic-embed-text, ...). With it, a screen's embedding is the embedding of the
   * vision model's description of it, a semantic rather than a perceptual likeness; 512 dimensions are asked
   * for. Without it, embeddings are the local perceptual model's.
   */
  embeddingModel?: string;
}

/** Vision through the official `ollama` client: chat with images and a JSON-schema `format`. */
export class OllamaVisionAdapter extends ModelVisionAdapter {
  readonly name = "ollama";
  private readonly host: string;

  constructor(
    local: LocalVision,
    private readonly ollama: OllamaVisionOptions,
  ) {
    super(local, ollama);
    this.host = ollama.host ?? "http://127.0.0.1:11434";
    try {
      new URL(this.host);
    } catch {
      throw new VisionInputError("host", `"${this.host}" is not a URL`);
    }
  }

  // The client takes no per-call signal or headers; a client per call with a fetch that carries both does.
  private client(signal: AbortSignal, seen: { retryAfter?: string | null }): Ollama {
    return new Ollama({
      host: this.host,
      fetch: async (input, init) => {
        const response = await fetch(input, {
          ...init,
          signal: init?.signal ? AbortSignal.any([signal, init.signal]) : signal,
        });
        if (!response.ok) seen.retryAfter = response.headers.get("retry-after");
        return response;
      },
    });
  }

  private lastRetryAfter = new WeakMap<object, string | null | undefined>();

  protected async send(request: ModelRequest, signal: AbortSignal): Promise<string> {
    const seen: { retryAfter?: string | null } = {};
    const messages: Message[] = [
      { role: "system", content: request.system },
      { role: "user", content: request.prompt, images: request.images.map((png) => png.toString("base64")) },
    ];
    if (request.repair)
      messages.push(
        { role: "assistant", content: request.repair.answer },
        {
          role: "user",
          content: `That answer is invalid: ${request.repair.problem}. Answer again with corrected JSON only.`,
        },
      );
    try {
      const response = await this.client(signal, seen).chat({
        model: this.model,
        messages,
        format: request.schema,
        stream: false,
        options: { temperature: 0 },
      });
      return response.message.content;
    } catch (error) {
      if (error && typeof error === "object") this.lastRetryAfter.set(error, seen.retryAfter);
      throw error;
    }
  }

  protected async ping(signal: AbortSignal): Promise<void> {
    await this.client(signal, {}).show({ model: this.model });
  }

  protected classify(error: unknown, timedOut: boolean): CallFailure {
    if (timedOut) return { retriable: true, message: (error as Error).message || "timed out" };
    const status = (error as { status_code?: number }).status_code;
    if (typeof status === "number")
      return {
        retriable: retriableStatus(status),
        retryAfterMs: parseRetryAfter(this.lastRetryAfter.get(error as object)),
        message: `HTTP ${status}: ${(error as Error).message}`,
      };
    return { retriable: true, message: (error as Error).message };
  }

  override async embeddingModel(): Promise<string> {
    return this.ollama.embeddingModel ? `ollama:${this.ollama.embeddingModel}` : super.embeddingModel();
  }

  override async generateEmbedding(screen: Screen, region?: BoundingBox): Promise<Float32Array> {
    if (!this.ollama.embeddingModel) return super.generateEmbedding(screen, region);
    const png = region ? encodePng(crop(decodePng(screen.png, "screen.png"), region)) : screen.png;
    const description = await this.describeScreen({ png });
    const controller = AbortSignal.timeout(30_000);
    const response = await this.client(controller, {}).embed({
      model: this.ollama.embeddingModel,
      input: description,
      dimensions: 512,
    });
    const vector = Float32Array.from(response.embeddings[0] ?? []);
    const norm = Math.hypot(...vector);
    return norm > 0 ? vector.map((v) => v / norm) : vector;
  }
}
