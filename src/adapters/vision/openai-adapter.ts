import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { LocalVision } from "./local-vision.js";
import { type ModelAdapterOptions, type ModelRequest, ModelVisionAdapter } from "./model-adapter.js";
import { type CallFailure, parseRetryAfter, retriableStatus } from "./resilience.js";

export interface OpenAIVisionOptions extends ModelAdapterOptions {
  /** Any OpenAI-compatible server (vLLM, llama.cpp, LM Studio ...); OpenAI's own without. */
  baseURL?: string;
  apiKey?: string;
}

/**
 * Vision through the official `openai` client (chat completions with images and JSON-schema output). The
 * client's own retries are off: the adapter's policy retries, so both model adapters behave alike.
 */
export class OpenAIVisionAdapter extends ModelVisionAdapter {
  readonly name = "openai";
  private readonly client: OpenAI;

  constructor(local: LocalVision, options: OpenAIVisionOptions) {
    super(local, options);
    this.client = new OpenAI({
      baseURL: options.baseURL,
      // Local OpenAI-compatible servers often need no key; the client insists on one.
      apiKey: options.apiKey ?? "not-needed",
      maxRetries: 0,
    });
  }

  protected async send(request: ModelRequest, signal: AbortSignal): Promise<string> {
    const messages: ChatCompletionMessageParam[] = [
      { role: "system", content: request.system },
      {
        role: "user",
        content: [
          { type: "text", text: request.prompt },
          ...request.images.map((png) => ({
            type: "image_url" as const,
            image_url: { url: `data:image/png;base64,${png.toString("base64")}` },
          })),
        ],
      },
    ];
    if (request.repair)
      messages.push(
        { role: "assistant", content: request.repair.answer },
        {
          role: "user",
          content: `That answer is invalid: ${request.repair.problem}. Answer again with corrected JSON only.`,
        },
      );
    const response = await this.client.chat.completions.create(
      {
        model: this.model,
        temperature: 0,
        messages,
        response_format: {
          type: "json_schema",
          json_schema: { name: request.operation, schema: request.schema, strict: false },
        },
      },
      { signal },
    );
    return response.choices[0]?.message?.content ?? "";
  }

  protected async ping(signal: AbortSignal): Promise<void> {
    await this.client.models.retrieve(this.model, { signal });
  }

  protected classify(error: unknown, timedOut: boolean): CallFailure {
    if (timedOut) return { retriable: true, message: (error as Error).message || "timed out" };
    if (error instanceof OpenAI.APIError && error.status !== undefined) {
      return {
        retriable: retriableStatus(error.status),
        retryAfterMs: parseRetryAfter(error.headers?.get("retry-after")),
        message: `HTTP ${error.status}: ${error.message}`,
      };
    }
    // No status: the connection failed or was cut; worth another try.
    return { retriable: true, message: (error as Error).message };
  }
}
