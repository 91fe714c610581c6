import type { BrowserPool } from "../adapters/browser/pool.js";
import type { SqlEventStore } from "../adapters/eventstore/sql-event-store.js";
import type { SnapshotStore } from "../adapters/snapshots/snapshot-store.js";
import type { Role } from "../adapters/sql/api-keys.js";
import type { VisionModuleManager } from "../adapters/vision/module-manager.js";
import type { StructuredChatModel } from "../domain/planner/chat-model.js";
import type { DriftService } from "../engine/drift/service.js";
import type { TestEngine } from "../engine/engine.js";
import type { BlobStore } from "../ports/blobs.js";
import type { DriverKind } from "../ports/browser.js";
import type { Logger } from "../ports/logger.js";
import type { ProjectionRunner } from "../projections/runner.js";
import type { HostModel } from "./host-model.js";
import type { PageObservation } from "./observe.js";

/** What the MCP tools work with: the same engine, store and read side as the HTTP API. */
export interface McpContext {
  engine: TestEngine;
  store: SqlEventStore;
  blobs: BlobStore;
  snapshots: SnapshotStore;
  pool: BrowserPool;
  runner: ProjectionRunner;
  defaultDriver: DriverKind;
  allowedHosts: string[];
  /** Roughly how many tokens a page observation may take (about four characters each). */
  tokenBudget: number;
  /** The chat model behind generate_test_plan's "model" planner, when one is configured. */
  chat?: StructuredChatModel;
  /** The vision layer (module manager over the configured adapters), for screen tools and adapter status. */
  vision?: VisionModuleManager;
  /** Visual baselines and drift checks. */
  drift?: DriftService;
  version: string;
  logger?: Logger;
  /** The page each test's agent saw last (per MCP session), so that results can carry only what changed. */
  seen?: Map<string, { observation: PageObservation; text: string }>;
  /** Values each test typed in secret or from `${env:...}` (per MCP session): never shown back. */
  secrets?: Map<string, string[]>;
  /** Who asks for runs, as recorded on them: the API key's name over HTTP; "mcp" over stdio. */
  requester?: string;
  /** The client's own model through MCP sampling, when the client offers it (per MCP session). */
  host?: () => HostModel | undefined;
  /** The caller's role over HTTP: viewers may use only the read-only tools. Unset over stdio. */
  role?: Role;
}
