import type { FastifyInstance } from "fastify";
import type { BrowserPoolOptions } from "../../src/adapters/browser/pool.js";
import { ApiKeys } from "../../src/adapters/sql/api-keys.js";
import { AccessibilityVisionAdapter } from "../../src/adapters/vision/accessibility-adapter.js";
import { LocalVision } from "../../src/adapters/vision/local-vision.js";
import { VisionModuleManager } from "../../src/adapters/vision/module-manager.js";
import { VISION_STREAM } from "../../src/domain/vision/breaker.js";
import { DriftService } from "../../src/engine/drift/service.js";
import { buildServer } from "../../src/http/server.js";
import { READ_MODELS } from "../../src/projections/read-models.js";
import { ProjectionRunner } from "../../src/projections/runner.js";
import { type Harness, harness } from "./engine.js";

export interface ApiHarness {
  h: Harness;
  app: FastifyInstance;
  runner: ProjectionRunner;
  keys: ApiKeys;
  close: () => Promise<void>;
}

/** The HTTP API in-process on a fresh embedded store, with projections caught up on demand. */
export async function apiHarness(
  auth: "keys" | "open" = "keys",
  network?: BrowserPoolOptions["network"],
): Promise<ApiHarness> {
  const h = await harness(undefined, network);
  const runner = new ProjectionRunner(h.store, READ_MODELS);
  const keys = new ApiKeys(h.store.db);
  const local = new LocalVision();
  const vision = new VisionModuleManager({
    primary: new AccessibilityVisionAdapter(local),
    healthIntervalMs: 0,
    record: async (events) => {
      await h.store.append(VISION_STREAM, events);
    },
  });
  await vision.initialize();
  const drift = new DriftService({ store: h.store, blobs: h.blobs, pool: h.pool, vision });
  const engine = h.engine({
    screenshots: "all",
    drift,
    ...(network ? { networkPolicy: network.policy } : {}),
  });
  const app = await buildServer({
    store: h.store,
    engine,
    pool: h.pool,
    blobs: h.blobs,
    runner,
    keys,
    auth,
    defaultDriver: "playwright",
    version: "test",
    vision,
    drift,
    mcp: {
      vision,
      drift,
      engine,
      store: h.store,
      blobs: h.blobs,
      snapshots: h.snapshots,
      pool: h.pool,
      runner,
      defaultDriver: "playwright",
      allowedHosts: [],
      tokenBudget: 1500,
      version: "test",
    },
  });
  return {
    h,
    app,
    runner,
    keys,
    close: async () => {
      await app.close();
      await engine.close();
      await vision.shutdown();
      await local.close();
      await runner.stop();
      await h.close();
    },
  };
}
