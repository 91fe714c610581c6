import type { FastifyInstance } from "fastify";
import { ApiKeys } from "../adapters/sql/api-keys.js";
import type { Config } from "../config/load.js";
import { isLoopback } from "../domain/network/policy.js";
import { limitsOf } from "../mcp/http.js";
import type { Logger } from "../ports/logger.js";
import { READ_MODELS } from "../projections/read-models.js";
import { ProjectionRunner } from "../projections/runner.js";
import { type EngineRuntime, mcpContextOf } from "../runtime.js";
import { VERSION } from "../version.js";
import type { BundledPlan } from "./routes/plans.js";
import { buildServer } from "./server.js";

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  auth: "keys" | "open";
  host: string;
  /** Graceful: stop taking requests, stop running tests after their current step (state saved), then close. */
  close(): Promise<void>;
}

/**
 * The service: projections following the log, the HTTP API on the engine. Without any API key the server
 * will not listen beyond loopback, whatever host was asked for.
 */
export async function startServer(
  runtime: EngineRuntime,
  config: Config,
  logger: Logger,
  options: { host?: string; port?: number; bundledPlans?: BundledPlan[] } = {},
): Promise<RunningServer> {
  const keys = new ApiKeys(runtime.store.db);
  const auth = (await keys.activeCount()) > 0 ? "keys" : "open";
  let host = options.host ?? config.server.host;
  if (auth === "open" && !isLoopback(host)) {
    logger.warn(
      { requested: host },
      "no API keys exist: listening on 127.0.0.1 only; create one with `testdriver keys create` to serve other hosts",
    );
    host = "127.0.0.1";
  }
  const runner = new ProjectionRunner(runtime.store, READ_MODELS, { logger });
  await runner.catchUp();
  runner.start();
  const app = await buildServer({
    store: runtime.store,
    engine: runtime.engine,
    pool: runtime.pool,
    blobs: runtime.blobs,
    runner,
    keys,
    auth,
    defaultDriver: config.browser.driver,
    logger,
    version: VERSION,
    vision: runtime.vision,
    drift: runtime.drift,
    bundledPlans: options.bundledPlans,
    hosts: { listenHost: host, publicHosts: config.server.publicHosts },
    mcp: mcpContextOf(runtime, { config, logger }, runner),
    mcpLimits: limitsOf(config),
  });
  await app.listen({ host, port: options.port ?? config.server.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    app,
    url,
    auth,
    host,
    close: async () => {
      await app.close();
      await runtime.engine.close();
      await runner.stop();
    },
  };
}
