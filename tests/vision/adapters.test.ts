import { afterAll, beforeAll, describe } from "vitest";
import { AccessibilityVisionAdapter } from "../../src/adapters/vision/accessibility-adapter.js";
import { LocalVision } from "../../src/adapters/vision/local-vision.js";
import { OllamaVisionAdapter } from "../../src/adapters/vision/ollama-adapter.js";
import { OpenAIVisionAdapter } from "../../src/adapters/vision/openai-adapter.js";
import type { Screen, VisionAdapter } from "../../src/domain/vision/model.js";
import { browsersAvailable } from "../support/browsers.js";
import { type ModelServer, startOllamaCompatible, startOpenAICompatible } from "../support/model-servers.js";
import { visionAdapterContract } from "./adapter-contract.js";
import { captureLoginScreens, seeingScript } from "./screens.js";

describe.runIf(browsersAvailable)("vision adapters", () => {
  let screens: { login: Screen; changed: Screen };
  const local = new LocalVision();
  beforeAll(async () => {
    screens = await captureLoginScreens();
  });
  afterAll(() => local.close());

  const fixture = (make: () => Promise<{ adapter: VisionAdapter; close?: () => Promise<void> }>) => {
    let adapter: VisionAdapter;
    let close: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      ({ adapter, close } = await make());
      await adapter.initialize();
    });
    afterAll(async () => {
      await adapter.shutdown();
      await close?.();
    });
    return { adapter: () => adapter, login: () => screens.login, changed: () => screens.changed };
  };

  describe("accessibility (no model: the accessibility snapshot, tesseract.js, onnxruntime)", () => {
    visionAdapterContract(fixture(async () => ({ adapter: new AccessibilityVisionAdapter(local) })));
  });

  describe("openai (official client against an OpenAI-compatible server on 127.0.0.1)", () => {
    visionAdapterContract(
      fixture(async () => {
        const server: ModelServer = await startOpenAICompatible((r) => seeingScript(screens.login)(r));
        return {
          adapter: new OpenAIVisionAdapter(local, {
            baseURL: server.url,
            model: "gpt-4o-mini",
            cache: false,
          }),
          close: server.close,
        };
      }),
    );
  });

  describe("ollama (official client against an Ollama-compatible server on 127.0.0.1)", () => {
    visionAdapterContract(
      fixture(async () => {
        const server = await startOllamaCompatible((r) => seeingScript(screens.login)(r));
        return {
          adapter: new OllamaVisionAdapter(local, { host: server.url, model: "llava", cache: false }),
          close: server.close,
        };
      }),
    );
  });
});
