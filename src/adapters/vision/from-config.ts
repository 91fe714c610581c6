import type { Config } from "../../config/load.js";
import type { VisionEvent } from "../../domain/vision/breaker.js";
import type { VisionAdapter } from "../../domain/vision/model.js";
import { AccessibilityVisionAdapter } from "./accessibility-adapter.js";
import { LocalVision } from "./local-vision.js";
import { VisionModuleManager } from "./module-manager.js";
import { OllamaVisionAdapter } from "./ollama-adapter.js";
import { OpenAIVisionAdapter } from "./openai-adapter.js";
import { ResponseCache } from "./response-cache.js";

type Kind = Config["vision"]["adapter"];

/** The vision layer the configuration asks for: its adapter and fallback under one module manager. */
export function createVision(
  config: Pick<Config, "vision" | "models" | "modules">,
  record?: (events: VisionEvent[]) => Promise<void>,
  onRecordError?: (error: unknown) => void,
): { manager: VisionModuleManager; local: LocalVision } {
  const v = config.vision;
  const local = new LocalVision({ embeddingModelPath: v.embeddingModelPath });
  const cache = v.cacheTtlS > 0 ? new ResponseCache(v.cacheTtlS * 1000) : false;
  const retry = { retries: v.retries, timeoutMs: v.timeoutMs };
  const make = (kind: Kind): VisionAdapter => {
    switch (kind) {
      case "openai":
        return new OpenAIVisionAdapter(local, {
          baseURL: config.models.baseUrl,
          apiKey: config.models.apiKey,
          model: v.model ?? "gpt-4o-mini",
          retry,
          cache,
        });
      case "ollama":
        return new OllamaVisionAdapter(local, {
          host: v.ollamaHost,
          model: v.model ?? "llava",
          embeddingModel: v.ollamaEmbeddingModel,
          retry,
          cache,
        });
      case "accessibility":
        return new AccessibilityVisionAdapter(local);
    }
  };
  const fallback = v.fallback === "none" || v.fallback === v.adapter ? undefined : make(v.fallback);
  const manager = new VisionModuleManager({
    primary: make(v.adapter),
    fallback,
    breaker: {
      errorRateThreshold: config.modules.switchThreshold,
      consecutiveFailures: config.modules.breakerThreshold,
      cooldownMs: config.modules.breakerCooldownS * 1000,
    },
    healthIntervalMs: config.modules.healthIntervalS * 1000,
    record,
    onRecordError,
  });
  return { manager, local };
}
