import { join } from "node:path";
import type { FsBlobStore } from "./adapters/blobs/fs-blob-store.js";
import type { BrowserPool } from "./adapters/browser/pool.js";
import type { PlaywrightEndpoint } from "./adapters/browser/remote.js";
import type { StoreConfig } from "./adapters/eventstore/open.js";
import type { SqlEventStore } from "./adapters/eventstore/sql-event-store.js";
import { OpenAIChatModel } from "./adapters/models/openai-chat.js";
import { gateOf, policyOf } from "./adapters/network/from-config.js";
import type { SnapshotStore } from "./adapters/snapshots/snapshot-store.js";
import type { MigrationReport } from "./adapters/sql/migrate.js";
import type { VisionModuleManager } from "./adapters/vision/module-manager.js";
import { type Config, ConfigError, loadConfig } from "./config/load.js";
import { createEventRegistry } from "./domain/catalog.js";
import type { EventStore } from "./domain/events/store.js";
import { VISION_STREAM, type VisionEvent } from "./domain/vision/breaker.js";
import type { DriftService } from "./engine/drift/service.js";
import type { TestEngine } from "./engine/engine.js";
import { createLogger, type Logger } from "./logger.js";
import type { McpContext } from "./mcp/context.js";
import { learnedWaitObservations, learnedWaitsProjection } from "./projections/learned-waits.js";
import { qualityIssuesProjection } from "./projections/quality-issues.js";
import { ProjectionRunner } from "./projections/runner.js";
import { VERSION } from "./version.js";

export interface Runtime {
  config: Config;
  logger: Logger;
}

export function loadRuntime(configFile?: string): Runtime {
  const config = loadConfig({ file: configFile });
  return { config, logger: createLogger(config.log.level) };
}

export function storeConfigOf(config: Config): StoreConfig {
  if (config.store.kind === "esdb") {
    throw new ConfigError([
      'TESTDRIVER_STORE = "esdb": this command needs the SQL store (the engine, read models, API keys and relay live there); use pglite or postgres, or a log command such as `testdriver events tail`',
    ]);
  }
  return config.store.kind === "postgres"
    ? {
        kind: "postgres",
        connectionString: config.store.databaseUrl!,
        poolSize: config.store.poolSize,
        connectTimeoutMs: config.store.connectTimeoutMs,
      }
    : { kind: "pglite", dataDir: config.store.dataDir };
}

export async function openStore(
  runtime: Runtime,
  options: { migrate?: boolean } = {},
): Promise<{ store: SqlEventStore; migrations: MigrationReport }> {
  // Loaded when used, so that `--help` and commands without a store start at once.
  const { openEventStore } = await import("./adapters/eventstore/open.js");
  const opened = await openEventStore(storeConfigOf(runtime.config), createEventRegistry(), {
    migrate: options.migrate ?? runtime.config.store.autoMigrate,
  });
  if (opened.migrations.applied.length > 0) {
    runtime.logger.info(
      { applied: opened.migrations.applied, extensions: opened.migrations.extensions },
      "migrations applied",
    );
  }
  return opened;
}

export interface EngineRuntime {
  store: SqlEventStore;
  engine: TestEngine;
  pool: BrowserPool;
  blobs: FsBlobStore;
  snapshots: SnapshotStore;
  vision: VisionModuleManager;
  drift: DriftService;
  close: () => Promise<void>;
}

/** The event log alone, on whichever backend is configured, EventStoreDB included. */
export async function openEventLog(
  runtime: Runtime,
): Promise<EventStore & { positionBeforeLast(count: number): Promise<number> }> {
  if (runtime.config.store.kind === "esdb") {
    const { EsdbEventStore } = await import("./adapters/eventstore/esdb-event-store.js");
    return new EsdbEventStore(runtime.config.store.esdbUrl!, createEventRegistry());
  }
  return (await openStore(runtime)).store;
}

/** The remote browser Playwright connects to, if the configuration names one. */
function playwrightEndpoint(browser: Config["browser"]): PlaywrightEndpoint | undefined {
  if (browser.playwrightWsEndpoint) return { kind: "ws", url: browser.playwrightWsEndpoint };
  if (browser.playwrightCdpUrl) return { kind: "cdp", url: browser.playwrightCdpUrl };
  return undefined;
}

type VisionEvents = VisionEvent[];

/**
 * Events only when something happened: each process starts knowing no adapter's health, so its first check
 * reports a change from "unknown"; that is news only when the log last said otherwise.
 */
function healthNews(store: SqlEventStore): (events: VisionEvents) => Promise<VisionEvents> {
  let logged: Map<string, string> | undefined;
  return async (events) => {
    if (!logged) {
      logged = new Map();
      for (const e of await store.readStream(VISION_STREAM)) {
        const data = e.data as { adapter?: string; status?: string };
        if (e.type === "VisionAdapterHealthChanged" && data.adapter && data.status)
          logged.set(data.adapter, data.status);
      }
    }
    const known = logged;
    return events.filter((event) => {
      if (event.type !== "VisionAdapterHealthChanged") return true;
      const { adapter, previous, status } = event.data;
      const news = !(previous === "unknown" && known.get(adapter) === status);
      known.set(adapter, status);
      return news;
    });
  };
}

/** The store, the browser pool, the artifact store and the engine, as the configuration says. */
export async function openEngine(
  runtime: Runtime,
  options: { executes?: boolean; warmBrowser?: boolean } = {},
): Promise<EngineRuntime> {
  // The store opens (or is created) while the code loads and the browser launches: none needs another. The
  // drivers, vision and engine weigh seconds of start-up: loaded only by commands that run tests.
  const opening = openStore(runtime);
  opening.catch(() => {}); // awaited below, not unhandled meanwhile
  const [
    { FsBlobStore },
    { PlaywrightDriver },
    { BrowserPool },
    { WebdriverIODriver },
    { SnapshotStore },
    { createVision },
    { DriftService },
    { TestEngine },
    { visionLocator },
    { Leases },
    { RunQueue },
  ] = await Promise.all([
    import("./adapters/blobs/fs-blob-store.js"),
    import("./adapters/browser/playwright.js"),
    import("./adapters/browser/pool.js"),
    import("./adapters/browser/webdriverio.js"),
    import("./adapters/snapshots/snapshot-store.js"),
    import("./adapters/vision/from-config.js"),
    import("./engine/drift/service.js"),
    import("./engine/engine.js"),
    import("./engine/vision-locator.js"),
    import("./engine/queue/leases.js"),
    import("./engine/queue/run-queue.js"),
  ]);
  const { browser } = runtime.config;
  const chromium = {
    executablePath: browser.chromiumPath,
    chromedriverPath: browser.chromedriverPath,
    headless: browser.headless,
  };
  const pool = new BrowserPool({
    drivers: {
      playwright: () => new PlaywrightDriver(chromium, { endpoint: playwrightEndpoint(browser) }),
      webdriverio: () => new WebdriverIODriver(chromium, { url: browser.webdriverUrl }),
    },
    maxConcurrentSessions: browser.maxSessions,
    network: gateOf(runtime.config, (message) => runtime.logger.warn(message)),
  });
  if (options.warmBrowser) {
    pool
      .warm(browser.driver)
      .catch((error) => runtime.logger.warn({ err: error }, "the browser could not start"));
  }
  let store: Awaited<typeof opening>["store"];
  try {
    ({ store } = await opening);
  } catch (error) {
    await pool.close();
    throw error;
  }
  // Runs are leased work in the database: any replica or worker may receive a request, the holder acts on it.
  const leases = new Leases({
    queue: new RunQueue(store.db),
    ttlMs: runtime.config.store.leaseTtlMs,
    executes: options.executes,
    logger: runtime.logger,
  });
  const blobs = new FsBlobStore(join(runtime.config.store.dataDir, "blobs"));
  const news = healthNews(store);
  const { manager: vision, local } = createVision(
    runtime.config,
    async (events) => {
      const fresh = await news(events);
      if (fresh.length > 0) await store.append(VISION_STREAM, fresh, { streamType: "adapters" });
    },
    (error) => runtime.logger.warn({ err: error }, "could not record a vision adapter event"),
  );
  await vision.initialize();
  const snapshots = new SnapshotStore(blobs);
  const drift = new DriftService({
    store,
    blobs,
    pool,
    vision,
    driver: browser.driver,
    viewport: browser.viewport,
    allowedHosts: browser.allowedHosts,
    describeWithModel: runtime.config.vision.adapter !== "accessibility",
  });
  const engine = new TestEngine({
    drift,
    leases,
    store,
    pool,
    blobs,
    snapshots,
    logger: runtime.logger,
    defaultDriver: browser.driver,
    allowedHosts: browser.allowedHosts,
    networkPolicy: policyOf(runtime.config),
    allowScripts: browser.allowScripts,
    stepTimeoutMs: browser.stepTimeoutMs,
    screenshots: browser.screenshots,
    performanceBudgets: runtime.config.quality.budgets,
    qualityGates: {
      accessibility:
        runtime.config.quality.failOnAccessibility === "none"
          ? undefined
          : runtime.config.quality.failOnAccessibility,
      budgets: runtime.config.quality.failOnBudget,
    },
    knownQualityIssues: async (kind, runId) => {
      // The read model first takes in what the log holds: a CLI run has no projection runner of its own.
      await new ProjectionRunner(store, [qualityIssuesProjection]).catchUp();
      const { rows } = await store.db.query<{ page: string; rule: string }>(
        "SELECT page, rule FROM td_quality_issues WHERE kind = $1 AND first_seen_run <> $2",
        [kind, runId],
      );
      return new Set(rows.map((r) => `${r.page}\u0000${r.rule}`));
    },
    learnedWaits: async () => {
      await new ProjectionRunner(store, [learnedWaitsProjection]).catchUp();
      return learnedWaitObservations(store.db);
    },
    viewport: browser.viewport,
    // Pixels are the model's business: with the accessibility adapter, the snapshot matching already ran.
    vision: runtime.config.vision.adapter === "accessibility" ? undefined : visionLocator(vision),
  });
  return {
    store,
    engine,
    pool,
    blobs,
    snapshots,
    vision,
    drift,
    close: async () => {
      for (const part of [engine, { close: () => vision.shutdown() }, local, pool, store]) await part.close();
    },
  };
}

/** What MCP tools need, from the engine runtime and the configuration. */
export function mcpContextOf(
  engine: EngineRuntime,
  runtime: Runtime,
  runner: ProjectionRunner,
): Omit<McpContext, "role"> {
  const { config } = runtime;
  return {
    engine: engine.engine,
    store: engine.store,
    blobs: engine.blobs,
    snapshots: engine.snapshots,
    pool: engine.pool,
    runner,
    defaultDriver: config.browser.driver,
    allowedHosts: config.browser.allowedHosts,
    tokenBudget: config.mcp.tokenBudget,
    chat:
      config.models.apiKey || config.models.baseUrl
        ? new OpenAIChatModel({
            baseURL: config.models.baseUrl,
            apiKey: config.models.apiKey,
            model: config.models.planner,
          })
        : undefined,
    vision: engine.vision,
    drift: engine.drift,
    version: VERSION,
    logger: runtime.logger,
  };
}
