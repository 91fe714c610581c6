import type { BrowserPool } from "../adapters/browser/pool.js";
import type { SqlEventStore } from "../adapters/eventstore/sql-event-store.js";
import type { ApiKeys, Role } from "../adapters/sql/api-keys.js";
import type { VisionModuleManager } from "../adapters/vision/module-manager.js";
import type { DriftService } from "../engine/drift/service.js";
import type { TestEngine } from "../engine/engine.js";
import type { McpContext } from "../mcp/context.js";
import type { McpSessionLimits } from "../mcp/http.js";
import type { BlobStore } from "../ports/blobs.js";
import type { DriverKind } from "../ports/browser.js";
import type { Logger } from "../ports/logger.js";
import type { ProjectionRunner } from "../projections/runner.js";
import type { LatencyHistogram } from "./prometheus.js";
import type { RouteTable } from "./route.js";

/** What the HTTP server and its routes work with. */

import type { HostRules } from "./host-guard.js";

export interface ServerDeps {
  store: SqlEventStore;
  engine: TestEngine;
  pool: BrowserPool;
  blobs: BlobStore;
  runner: ProjectionRunner;
  keys: ApiKeys;
  /** "keys": every /api request needs a key; "open": no keys exist, so only loopback may connect. */
  auth: "keys" | "open";
  defaultDriver: DriverKind;
  logger?: Logger;
  version: string;
  /** Visual baselines and drift checks (the /api/baselines and /api/drift routes). */
  drift?: DriftService;
  /** The vision module manager, whose adapter status /metrics reports. */
  vision?: VisionModuleManager;
  /** Plans shipped with the service (the demo's, with `serve --demo`), offered by GET /api/plans. */
  bundledPlans?: BundledPlan[];
  /** Host headers answered besides loopback (see host-guard.ts); loopback only when absent. */
  hosts?: HostRules;
  /** Serves MCP over Streamable HTTP at /mcp when given. */
  mcp?: Omit<McpContext, "role">;
  /** Sessions at /mcp: how many at once and how long idle (the configuration's when not given). */
  mcpLimits?: McpSessionLimits;
}

export interface Caller {
  role: Role;
  name: string;
}

declare module "fastify" {
  interface FastifyRequest {
    caller?: Caller;
  }
}

export interface AppContext extends ServerDeps {
  routes: RouteTable;
  latency: LatencyHistogram;
}

/** A plan shipped with the service (the demo's), offered to start runs from: its text and where it runs. */
export interface BundledPlan {
  plan_id: string;
  name: string;
  /** The plan as YAML, secret literals included: it is public by nature (the demo's password). */
  text: string;
  applications: { url: string; version: string }[];
  /** The plan's secret literals by step id: public here, they are in the package (the demo's password). */
  secrets: Record<string, string>;
}
