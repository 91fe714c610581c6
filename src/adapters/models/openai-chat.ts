import OpenAI from "openai";
import type { StructuredChatModel } from "../../domain/planner/chat-model.js";

export interface OpenAIChatOptions {
  /** Any OpenAI-compatible endpoint (vLLM, llama.cpp server, ...); default OpenAI's. */
  baseURL?: string;
  apiKey?: string;
  model: string;
  timeoutMs?: number;
  maxRetries?: number;
}

/** Structured chat completions through the official `openai` client. */
export class OpenAIChatModel implements StructuredChatModel {
  private readonly client: OpenAI;
  readonly name: string;

  constructor(private readonly options: OpenAIChatOptions) {
    this.client = new OpenAI({
      baseURL: options.baseURL,
      // Local OpenAI-compatible servers often need no key; the client insists on one.
      apiKey: options.apiKey ?? "not-needed",
      timeout: options.timeoutMs ?? 60_000,
      maxRetries: options.maxRetries ?? 2,
    });
    this.name = options.model;
  }

  async complete(request: Parameters<StructuredChatModel["complete"]>[0]): Promise<string> {
    const response = await this.client.chat.completions.create({
      model: this.options.model,
      temperature: 0,
      messages: [{ role: "system", content: request.system }, ...request.messages],
      response_format: {
        type: "json_schema",
        json_schema: { name: request.schemaName, schema: request.jsonSchema, strict: false },
      },
    });
    const content = response.choices[0]?.message?.content;
    if (!content) throw new Error(`model ${this.name} returned no content`);
    return content;
  }
}
