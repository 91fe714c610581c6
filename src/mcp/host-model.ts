import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { StructuredChatModel } from "../domain/planner/chat-model.js";
import type { VisionAdapter } from "../domain/vision/model.js";
import { type Seen, sample, text, withSchema } from "./sampling.js";

/**
 * The client's own model, reached through MCP sampling (`sampling/createMessage`): no API key, no model
 * service of ours. The client may show each request to its user, change it or refuse it; every answer is
 * validated here as an OpenAI or Ollama answer is (plan steps by the step schemas, vision answers by theirs).
 */
export interface HostModel {
  chat: StructuredChatModel;
  /** Loaded on first use: the model adapters' code is not what a session's start should wait for. */
  vision: () => Promise<VisionAdapter>;
}

/** The planner's chat model over sampling. Its name carries the model the client last said it used. */
class SamplingChatModel implements StructuredChatModel {
  constructor(
    private readonly server: Server,
    private readonly seen: Seen,
  ) {}

  get name(): string {
    return `mcp-sampling${this.seen.model ? `:${this.seen.model}` : ""}`;
  }

  complete(request: Parameters<StructuredChatModel["complete"]>[0]): Promise<string> {
    return sample(
      this.server,
      withSchema(request.system, request.jsonSchema),
      request.messages.map((m) => text(m.role, m.content)),
      4096,
      this.seen,
    );
  }
}

/**
 * The host's model of one MCP session, once its client has declared the sampling capability (known after
 * the handshake, so asked at each use); undefined without it.
 */
export function hostModelOf(server: Server): () => HostModel | undefined {
  let model: HostModel | undefined;
  return () => {
    if (!server.getClientCapabilities()?.sampling) return undefined;
    if (model) return model;
    const seen: Seen = {};
    let vision: Promise<VisionAdapter> | undefined;
    model = {
      chat: new SamplingChatModel(server, seen),
      vision: () => {
        vision ??= import("./host-vision.js").then((m) => m.samplingVision(server, seen));
        return vision;
      },
    };
    return model;
  };
}
