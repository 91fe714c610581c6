import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { SamplingMessage } from "@modelcontextprotocol/sdk/types.js";
import { LocalVision } from "../adapters/vision/local-vision.js";
import { type ModelRequest, ModelVisionAdapter } from "../adapters/vision/model-adapter.js";
import type { CallFailure } from "../adapters/vision/resilience.js";
import type { VisionAdapter } from "../domain/vision/model.js";
import { type Seen, sample, text, withSchema } from "./sampling.js";

/**
 * Vision over sampling: the model adapters' prompts, answer schemas and one repair attempt, with the
 * screenshot sent as image content. No retries (a client that refused will refuse again) and no cache.
 */
class SamplingVisionAdapter extends ModelVisionAdapter {
  readonly name = "mcp-sampling";

  constructor(
    private readonly server: Server,
    private readonly seen: Seen,
  ) {
    super(new LocalVision(), { model: "client", cache: false, retry: { retries: 0, timeoutMs: 120_000 } });
    this.state = "ready";
  }

  protected send(request: ModelRequest, signal: AbortSignal): Promise<string> {
    const messages: SamplingMessage[] = [
      text("user", request.prompt),
      ...request.images.map(
        (png): SamplingMessage => ({
          role: "user",
          content: { type: "image", data: png.toString("base64"), mimeType: "image/png" },
        }),
      ),
    ];
    if (request.repair)
      messages.push(
        text("assistant", request.repair.answer),
        text(
          "user",
          `That answer is invalid: ${request.repair.problem}. Answer again with corrected JSON only.`,
        ),
      );
    return sample(this.server, withSchema(request.system, request.schema), messages, 1024, this.seen, signal);
  }

  // The client answers pings; whether it will sample is its user's choice, asked at each request.
  protected async ping(): Promise<void> {
    await this.server.ping();
  }

  protected classify(error: unknown): CallFailure {
    return { retriable: false, message: (error as Error).message };
  }
}

export const samplingVision = (server: Server, seen: Seen): VisionAdapter =>
  new SamplingVisionAdapter(server, seen);
