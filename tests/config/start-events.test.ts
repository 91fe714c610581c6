import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { VISION_STREAM } from "../../src/domain/vision/breaker.js";
import { createLogger } from "../../src/logger.js";
import { openEngine } from "../../src/runtime.js";

describe("starting TestDriver", () => {
  it("records the vision adapters' health once, not on every start", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "td-start-"));
    const runtime = {
      config: loadConfig({ env: { TESTDRIVER_HEALTH_CHECK_INTERVAL_S: "0" }, cwd }),
      logger: createLogger("silent"),
    };
    const healthEvents = async () => {
      const engine = await openEngine(runtime);
      try {
        await engine.vision.shutdown(); // its records are written in the background
        return (await engine.store.readStream(VISION_STREAM)).filter(
          (e) => e.type === "VisionAdapterHealthChanged",
        ).length;
      } finally {
        await engine.close();
      }
    };
    const first = await healthEvents();
    expect(first).toBeGreaterThan(0);
    expect(await healthEvents()).toBe(first);
  }, 120_000);
});
