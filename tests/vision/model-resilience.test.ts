import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalVision } from "../../src/adapters/vision/local-vision.js";
import type { ModelVisionAdapter } from "../../src/adapters/vision/model-adapter.js";
import { OllamaVisionAdapter } from "../../src/adapters/vision/ollama-adapter.js";
import { OpenAIVisionAdapter } from "../../src/adapters/vision/openai-adapter.js";
import { ResponseCache } from "../../src/adapters/vision/response-cache.js";
import { AdapterError, type Screen } from "../../src/domain/vision/model.js";
import { browsersAvailable } from "../support/browsers.js";
import { type ModelServer, startOllamaCompatible, startOpenAICompatible } from "../support/model-servers.js";
import { captureLoginScreens, seeingScript } from "./screens.js";

const FAST = { retries: 2, baseDelayMs: 10, maxDelayMs: 3000, timeoutMs: 400 };

const services = [
  {
    name: "openai",
    start: startOpenAICompatible,
    adapter: (local: LocalVision, server: ModelServer, cache?: ResponseCache) =>
      new OpenAIVisionAdapter(local, {
        baseURL: server.url,
        model: "vision-test",
        retry: FAST,
        cache: cache ?? false,
      }),
  },
  {
    name: "ollama",
    start: (script: Parameters<typeof startOllamaCompatible>[0]) =>
      startOllamaCompatible(script, (text) => Array.from({ length: 512 }, (_, i) => (text.length + i) % 7)),
    adapter: (local: LocalVision, server: ModelServer, cache?: ResponseCache) =>
      new OllamaVisionAdapter(local, {
        host: server.url,
        model: "llava",
        retry: FAST,
        cache: cache ?? false,
      }),
  },
];

describe.runIf(browsersAvailable)("model adapters under failure", () => {
  let screens: { login: Screen; changed: Screen };
  const local = new LocalVision();
  beforeAll(async () => {
    screens = await captureLoginScreens();
  });
  afterAll(() => local.close());

  for (const service of services) {
    describe(service.name, () => {
      let server: ModelServer;
      let adapter: ModelVisionAdapter;
      beforeAll(async () => {
        server = await service.start((r) => seeingScript(screens.login)(r));
        adapter = service.adapter(local, server);
        await adapter.initialize();
      });
      afterAll(() => server.close());
      const fresh = () => {
        server.requests.length = 0;
        server.queue.length = 0;
      };

      it("repairs a malformed answer once, telling the model what was wrong", async () => {
        fresh();
        server.queue.push({ content: "Sure! The button is at the bottom." });
        const found = await adapter.findElement(screens.login, "Sign in button");
        expect(found.element_type).toBe("button");
        expect(server.requests.map((r) => r.repair)).toEqual([false, true]);
        expect(JSON.stringify(server.requests[1]!.body)).toContain("not valid JSON");
      });

      it("gives up with an adapter error when the repair is malformed too", async () => {
        fresh();
        server.queue.push({ content: "{" }, { content: JSON.stringify({ found: "yes" }) });
        const error = await adapter.findElement(screens.login, "Sign in button").catch((e) => e);
        expect(error).toBeInstanceOf(AdapterError);
        expect(error.message).toMatch(/malformed twice; last problem: found: /);
        expect(server.requests).toHaveLength(2);
      });

      it("waits as long as a 429's Retry-After says, then succeeds", async () => {
        fresh();
        server.queue.push({ status: 429, headers: { "retry-after": "1" }, content: "rate limited" });
        const started = performance.now();
        const text = await adapter.describeScreen(screens.login);
        expect(text).toContain("Sign in");
        expect(performance.now() - started).toBeGreaterThanOrEqual(950);
        expect(server.requests).toHaveLength(2);
      });

      it("abandons an answer that takes longer than the timeout and asks again", async () => {
        fresh();
        server.queue.push({ delayMs: 1500, content: "{}" });
        const text = await adapter.describeScreen(screens.login, "the form");
        expect(text).toContain("Sign in");
        expect(server.requests).toHaveLength(2);
      });

      it("retries server errors with backoff and reports the last one when they persist", async () => {
        fresh();
        server.queue.push({ status: 503 }, { status: 503 }, { status: 503 });
        const error = await adapter.verifyVisualState(screens.login, '"Welcome back"').catch((e) => e);
        expect(error).toBeInstanceOf(AdapterError);
        expect(error.retriable).toBe(true);
        expect(error.message).toMatch(/HTTP 503.*after 3 attempts/);
      });

      it("does not retry a request the server refuses as bad", async () => {
        fresh();
        server.queue.push({ status: 400, content: "image too large" });
        const error = await adapter.describeScreen(screens.changed).catch((e) => e);
        expect(error.message).toMatch(/HTTP 400/);
        expect(server.requests).toHaveLength(1);
      });

      it("answers a repeated question from the cache, keyed by image, prompt and model", async () => {
        fresh();
        const cache = new ResponseCache();
        const cached = service.adapter(local, server, cache);
        await cached.initialize();
        await cached.describeScreen(screens.login);
        await cached.describeScreen(screens.login);
        await cached.describeScreen(screens.changed);
        expect(server.requests.filter((r) => r.operation === "describe_screen")).toHaveLength(2);
        expect(cache.hits).toBe(1);
      });

      it("fails to initialize, and reports failed health, when the service is down", async () => {
        const down = await service.start(() => ({ content: "{}" }));
        await down.close();
        const broken = service.adapter(local, down);
        await expect(broken.initialize()).rejects.toThrow(/cannot reach the model service/);
        expect(broken.state).toBe("failed");
        expect((await broken.healthCheck()).status).toBe("failed");
      });
    });
  }

  it("ollama embeds a screen's description with a text-embedding model when one is configured", async () => {
    const server = await startOllamaCompatible(
      (r) => seeingScript(screens.login)(r),
      (text) => Array.from({ length: 512 }, (_, i) => (i === text.length % 512 ? 3 : 0)),
    );
    try {
      const adapter = new OllamaVisionAdapter(local, {
        host: server.url,
        model: "llava",
        embeddingModel: "nomic-embed-text",
      });
      const vector = await adapter.generateEmbedding(screens.login);
      expect(vector).toHaveLength(512);
      expect(Math.max(...vector)).toBeCloseTo(1, 6);
      expect(server.requests.map((r) => r.operation)).toEqual(["describe_screen"]);
    } finally {
      await server.close();
    }
  });
});
