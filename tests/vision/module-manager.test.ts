import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import type { SqlEventStore } from "../../src/adapters/eventstore/sql-event-store.js";
import { AccessibilityVisionAdapter } from "../../src/adapters/vision/accessibility-adapter.js";
import { LocalVision } from "../../src/adapters/vision/local-vision.js";
import { VisionModuleManager } from "../../src/adapters/vision/module-manager.js";
import { OpenAIVisionAdapter } from "../../src/adapters/vision/openai-adapter.js";
import { createEventRegistry } from "../../src/domain/catalog.js";
import { VISION_STREAM } from "../../src/domain/vision/breaker.js";
import type { Screen } from "../../src/domain/vision/model.js";
import { browsersAvailable } from "../support/browsers.js";
import { type ModelServer, startOpenAICompatible } from "../support/model-servers.js";
import { captureLoginScreens, seeingScript } from "./screens.js";

describe.runIf(browsersAvailable)("the vision module manager", () => {
  let screens: { login: Screen; changed: Screen };
  let server: ModelServer;
  let store: SqlEventStore;
  let failing = false;
  const local = new LocalVision();
  beforeAll(async () => {
    screens = await captureLoginScreens();
    server = await startOpenAICompatible((r) => (failing ? { status: 500 } : seeingScript(screens.login)(r)));
    store = (await openEventStore({ kind: "pglite" }, createEventRegistry())).store;
  });
  afterAll(async () => {
    await server.close();
    await store.close();
    await local.close();
  });

  const manager = (clock: { now: number }) =>
    new VisionModuleManager({
      primary: new OpenAIVisionAdapter(local, {
        baseURL: server.url,
        model: "gpt-4o-mini",
        cache: false,
        retry: { retries: 0, timeoutMs: 2000 },
      }),
      fallback: new AccessibilityVisionAdapter(local),
      breaker: { cooldownMs: 30_000 },
      healthIntervalMs: 0,
      now: () => clock.now,
      record: async (events) => {
        await store.append(VISION_STREAM, events);
      },
    });

  const recorded = async () =>
    (await store.readStream(VISION_STREAM)).map((e) => ({ type: e.type, ...(e.data as object) }));

  it("answers from the fallback when the primary fails, switches after five failures, and switches back once the primary recovers", async () => {
    const clock = { now: 0 };
    const m = manager(clock);
    await m.initialize();
    expect(m.status()).toMatchObject({ active: "openai", circuit: "closed" });

    failing = true;
    for (let i = 0; i < 5; i++) {
      // Every call still gets an answer: the fallback's, from the accessibility snapshot.
      const found = await m.findElement(screens.login, "Sign in button");
      expect(found.element_type).toBe("button");
    }
    expect(m.status()).toMatchObject({ active: "accessibility", circuit: "open", consecutive_failures: 5 });
    const before = server.requests.length;
    await m.describeScreen(screens.login);
    expect(server.requests.length).toBe(before);

    failing = false;
    clock.now += 30_000;
    expect(m.status().active).toBe("openai");
    await m.findElement(screens.login, "Sign in button");
    expect(m.status()).toMatchObject({ active: "openai", circuit: "closed", switches: 2 });

    await m.shutdown();
    const events = await recorded();
    expect(events.filter((e) => e.type === "VisionAdapterSwitched")).toEqual([
      expect.objectContaining({ from: "openai", to: "accessibility", reason: "consecutive_failures" }),
      expect.objectContaining({ from: "accessibility", to: "openai", reason: "recovered" }),
    ]);
    expect(events.filter((e) => e.type === "VisionAdapterHealthChanged")).toEqual([
      expect.objectContaining({ adapter: "openai", previous: "unknown", status: "healthy" }),
      expect.objectContaining({ adapter: "accessibility", previous: "unknown", status: "healthy" }),
    ]);
  });

  it("does not count an element that is not there against the adapter", async () => {
    const m = manager({ now: 0 });
    await m.initialize();
    for (let i = 0; i < 6; i++)
      await expect(m.findElement(screens.login, "Delete account button")).rejects.toThrow(/no element fits/);
    expect(m.status()).toMatchObject({ active: "openai", consecutive_failures: 0 });
    await m.shutdown();
  });

  it("switches on a failed health check and starts on the fallback when the primary is down at start", async () => {
    const down = await startOpenAICompatible(() => ({ content: "{}" }));
    await down.close();
    const m = new VisionModuleManager({
      primary: new OpenAIVisionAdapter(local, {
        baseURL: down.url,
        model: "m",
        retry: { retries: 0, timeoutMs: 1000 },
      }),
      fallback: new AccessibilityVisionAdapter(local),
      healthIntervalMs: 0,
    });
    await m.initialize();
    expect(m.status()).toMatchObject({
      active: "accessibility",
      circuit: "open",
      health: { openai: "failed" },
    });
    expect((await m.verifyVisualState(screens.login, '"Welcome back"')).matches).toBe(true);
    await m.shutdown();
  });
});
