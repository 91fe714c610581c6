import type { VisionAdapter } from "../domain/vision/model.js";
import type { McpContext } from "./context.js";

/**
 * The vision model that answers questions in words (where is "the gear icon", does the page show "an empty
 * cart"): the configured adapter when it is a model, else the client's own model through sampling. The
 * accessibility adapter matches quoted texts only, so it is no such model.
 */
export async function visionModelOf(
  ctx: McpContext,
): Promise<{ adapter: VisionAdapter; by: string } | undefined> {
  if (ctx.vision && ctx.vision.status().active !== "accessibility")
    return { adapter: ctx.vision, by: ctx.vision.status().active };
  const host = ctx.host?.();
  if (host) return { adapter: await host.vision(), by: "the client's model (MCP sampling)" };
  return undefined;
}

export const NO_VISION_MODEL =
  "no vision model is configured (TESTDRIVER_VISION=openai or ollama) and this MCP client does not offer sampling";
