import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsBlobStore } from "../../src/adapters/blobs/fs-blob-store.js";
import { PlaywrightDriver } from "../../src/adapters/browser/playwright.js";
import { BrowserPool } from "../../src/adapters/browser/pool.js";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import type { SqlEventStore } from "../../src/adapters/eventstore/sql-event-store.js";
import { AccessibilityVisionAdapter } from "../../src/adapters/vision/accessibility-adapter.js";
import { LocalVision } from "../../src/adapters/vision/local-vision.js";
import { OpenAIVisionAdapter } from "../../src/adapters/vision/openai-adapter.js";
import { createEventRegistry } from "../../src/domain/catalog.js";
import { BaselineRefused, baselineIdOf, baselineStreamId } from "../../src/domain/drift/baseline.js";
import { DriftCheckError, DriftService } from "../../src/engine/drift/service.js";
import { ProjectionRunner } from "../../src/projections/runner.js";
import {
  driftDetections,
  listBaselines,
  similarBaselines,
  visualBaselinesProjection,
} from "../../src/projections/visual-baselines.js";
import { browsersAvailable, chromiumOptions } from "../support/browsers.js";
import { dropSchema, postgresAvailable, TEST_DATABASE_URL, uniqueSchema } from "../support/databases.js";
import { type FixtureServer, startFixtureServer } from "../support/fixture-server.js";
import { startOpenAICompatible } from "../support/model-servers.js";

const backends = [
  { name: "pglite (pgvector)", config: () => ({ kind: "pglite" as const }) },
  ...(postgresAvailable
    ? [
        {
          name: "postgres (no pgvector: real[] fallback)",
          config: () => ({
            kind: "postgres" as const,
            connectionString: TEST_DATABASE_URL,
            schema: uniqueSchema("drift"),
          }),
        },
      ]
    : []),
];

describe.runIf(browsersAvailable).each(backends)("visual baselines and drift on $name", ({ config }) => {
  let store: SqlEventStore;
  let pool: BrowserPool;
  let server: FixtureServer;
  let drift: DriftService;
  let runner: ProjectionRunner;
  const local = new LocalVision();
  const cfg = config();
  const ref = () => ({ url: server.url("/vision/login.html"), page: "login", version: "1.0" });
  const id = baselineIdOf("login", "1.0");

  beforeAll(async () => {
    store = (await openEventStore(cfg, createEventRegistry())).store;
    server = await startFixtureServer();
    pool = new BrowserPool({
      drivers: { playwright: () => new PlaywrightDriver(chromiumOptions) },
      maxConcurrentSessions: 1,
    });
    const vision = new AccessibilityVisionAdapter(local);
    await vision.initialize();
    drift = new DriftService({
      store,
      blobs: new FsBlobStore(mkdtempSync(join(tmpdir(), "td-drift-"))),
      pool,
      vision,
      viewport: { width: 800, height: 600 },
    });
    runner = new ProjectionRunner(store, [visualBaselinesProjection]);
  });
  afterAll(async () => {
    await pool.close();
    await store.close();
    await server.close();
    await local.close();
    if (cfg.kind === "postgres") await dropSchema(cfg.schema);
  });

  it("refuses to check drift against a baseline nobody captured, naming the page", async () => {
    await expect(drift.check(ref())).rejects.toThrow(DriftCheckError);
    await expect(drift.check(ref())).rejects.toThrow(/no baseline for page "login" at version "1.0"/);
  });

  it("captures a baseline per page and version, and refuses drift checks until it is approved", async () => {
    const captured = await drift.capture(ref());
    expect(captured.baseline_id).toBe(id);
    const before = (await store.readStream(baselineStreamId(id))).length;
    await expect(drift.check(ref())).rejects.toThrow(/not approved yet: approve it/);
    expect(await store.readStream(baselineStreamId(id))).toHaveLength(before);

    await expect(drift.approve(id, "alice", "looks right", "0".repeat(64))).rejects.toThrow(
      /captured again since you looked at it/,
    );
    await drift.approve(id, "alice", "looks right", captured.screenshot_hash);
    await expect(drift.approve(id, "bob")).rejects.toThrow(BaselineRefused);
    await runner.catchUp();
    expect(await listBaselines(store.db, { page: "login" })).toEqual([
      expect.objectContaining({
        baseline_id: id,
        status: "approved",
        approved_by: "alice",
        application_version: "1.0",
      }),
    ]);
  });

  it("finds no drift when the page is unchanged", async () => {
    const result = await drift.check(ref());
    expect(result).toMatchObject({ severity: "none", drift_detected: false, changed_regions: [] });
    expect(result.similarity).toBeGreaterThan(0.999);
    expect(result.embedding_distance).toBeLessThan(1e-4);
  });

  it("reports a renamed button and a removed link as functional drift, with what changed and what to do", async () => {
    const result = await drift.check({ ...ref(), url: server.url("/vision/login-v2.html") });
    expect(result.severity).toBe("functional");
    expect(result.removed_elements).toContainEqual(
      expect.objectContaining({ role: "link", name: "Forgot your password?", interactive: true }),
    );
    expect(result.removed_elements.filter((e) => e.interactive)).toHaveLength(1);
    expect(result.changed_elements).toEqual([
      expect.objectContaining({ kind: "renamed", before: expect.objectContaining({ name: "Sign in" }) }),
    ]);
    expect(result.description).toMatch(/button "Sign in" is now "Log in"/);
    expect(result.recommended_actions.join(" ")).toMatch(/heal the steps that target/);
    expect(result.changed_regions.length).toBeGreaterThan(0);

    await runner.catchUp();
    const [latest] = await driftDetections(store.db, { baselineId: id });
    expect(latest).toMatchObject({ severity: "functional", drift_detected: true, page: "login" });
    expect((await listBaselines(store.db))[0]).toMatchObject({ detections: 2, last_severity: "functional" });
  });

  it("lets a configured vision model describe the change, keeping the rules' account beside it", async () => {
    const model = await startOpenAICompatible(() => ({
      content: JSON.stringify({ changes: "The sign-in button now says Log in and the reset link is gone." }),
    }));
    try {
      const described = new DriftService({
        store,
        blobs: drift.blobs,
        pool,
        vision: new OpenAIVisionAdapter(local, { baseURL: model.url, model: "gpt-4o-mini", cache: false }),
        viewport: { width: 800, height: 600 },
        describeWithModel: true,
      });
      const result = await described.check({ ...ref(), url: server.url("/vision/login-v2.html") });
      expect(result).toMatchObject({ severity: "functional", described_by: "gpt-4o-mini" });
      expect(result.description).toMatch(
        /^The sign-in button now says Log in .*\(.*button "Sign in" is now "Log in"/,
      );
      expect(model.requests.map((r) => [r.operation, r.images])).toEqual([["compare_screens", 2]]);
    } finally {
      await model.close();
    }
  });

  it("finds the baseline a screen looks like by its embedding (pgvector where present, SQL otherwise)", async () => {
    await drift.capture({ ...ref(), url: server.url("/vision/login-v2.html"), version: "2.0" });
    await runner.catchUp();
    const baseline = await drift.load(id);
    const similar = await similarBaselines(
      store.db,
      baseline.current!.visual_embedding,
      "testdriver-perceptual-v1",
    );
    expect(similar.map((s) => s.application_version)).toEqual(["1.0", "2.0"]);
    expect(similar[0]!.similarity).toBeCloseTo(1, 5);
    expect(similar[1]!.similarity).toBeLessThan(similar[0]!.similarity);
  });

  it("leaves ignored regions out of the pixel comparison, not out of the structure", async () => {
    const whole = { x: 0, y: 0, width: 800, height: 600 };
    const ignoring = { ...ref(), version: "ignoring" };
    const { baseline_id } = await drift.capture({ ...ignoring, ignore: [whole] });
    await drift.approve(baseline_id, "alice");
    const result = await drift.check({ ...ignoring, url: server.url("/vision/login-v2.html") });
    expect(result.changed_regions).toEqual([]);
    expect(result.pixel_diff_ratio).toBe(0);
    expect(result.severity).toBe("functional");
  });

  it("rebuilds the same read model from the log", async () => {
    await runner.catchUp();
    const live = await listBaselines(store.db);
    await runner.rebuild("visual_baselines");
    expect(await listBaselines(store.db)).toEqual(live);
  });
});
