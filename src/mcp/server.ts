import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Role } from "../adapters/sql/api-keys.js";
import { VERSION } from "../version.js";
import type { McpContext } from "./context.js";
import { hostModelOf } from "./host-model.js";
import { registerPrompts } from "./prompts.js";
import { registerResources } from "./resources.js";
import { registerTool } from "./tool.js";
import { serveToolList } from "./tool-list.js";
import { analyzeFailure } from "./tools/analyze-failure.js";
import { approveBaseline, captureBaseline, checkDrift, listVisualBaselines } from "./tools/baselines.js";
import { compareScreens } from "./tools/compare-screens.js";
import { describeScreen } from "./tools/describe-screen.js";
import { executeStep } from "./tools/execute-step.js";
import { findElement } from "./tools/find-element.js";
import { finishTest } from "./tools/finish-test.js";
import { generateTestPlan } from "./tools/generate-test-plan.js";
import { getAdapterStatus } from "./tools/get-adapter-status.js";
import { getMetrics } from "./tools/get-metrics.js";
import { getPageLog } from "./tools/get-page-log.js";
import { getReliabilityScore } from "./tools/get-reliability-score.js";
import { getReport } from "./tools/get-report.js";
import { getStateSnapshot } from "./tools/get-state-snapshot.js";
import { getSystemHealth } from "./tools/get-system-health.js";
import { healTest } from "./tools/heal-test.js";
import { listTests } from "./tools/list-tests.js";
import { replayTest } from "./tools/replay-test.js";
import { restoreState } from "./tools/restore-state.js";
import { reviewHealingEvents } from "./tools/review-healing-events.js";
import { startTest } from "./tools/start-test.js";
import { stopTest } from "./tools/stop-test.js";
import { verifyVisualState } from "./tools/verify-visual-state.js";

export const TOOLS = [
  startTest,
  executeStep,
  finishTest,
  getReport,
  healTest,
  listTests,
  stopTest,
  getMetrics,
  getReliabilityScore,
  generateTestPlan,
  reviewHealingEvents,
  describeScreen,
  findElement,
  verifyVisualState,
  compareScreens,
  getStateSnapshot,
  restoreState,
  analyzeFailure,
  getSystemHealth,
  getAdapterStatus,
  replayTest,
  captureBaseline,
  approveBaseline,
  checkDrift,
  listVisualBaselines,
  getPageLog,
];

/**
 * The lean default: the tools that drive and check a test, what an agent exploring an app needs. "all" adds
 * healing, replay, snapshots, baselines, metrics and health (as Playwright MCP's --caps adds capabilities).
 */
export const CORE_TOOLS = [
  "start_test",
  "execute_step",
  "describe_screen",
  "find_element",
  "verify_visual_state",
  "get_page_log",
  "finish_test",
  "stop_test",
  "get_report",
  "list_tests",
];
export const TOOL_PROFILES = ["core", "all"] as const;
export type ToolProfile = (typeof TOOL_PROFILES)[number];

export const toolsOf = (profile: ToolProfile) =>
  profile === "all" ? TOOLS : TOOLS.filter((t) => CORE_TOOLS.includes(t.name));

/** What every session shares: the engine, store and read side (no per-session page memory, no role). */
export type McpShared = Omit<McpContext, "role" | "seen" | "secrets" | "host">;

/**
 * One MCP server (one client session) over the shared engine and read side. The shared part may still be
 * opening (stdio answers the handshake before the store is open): tools and resources wait for it, and a
 * store that failed to open becomes each tool's error, with the reason.
 */
export function createMcpServer(
  shared: McpShared | Promise<McpShared>,
  options: { role?: Role; tools?: ToolProfile } = {},
): { server: McpServer; close: () => void } {
  const server = new McpServer(
    { name: "testdriver", version: VERSION },
    {
      capabilities: { resources: { listChanged: true }, tools: {}, prompts: {} },
      instructions:
        "TestDriver tests web applications in a real browser. Start with start_test (requirements + url), or interactive: true to drive step by step with execute_step. Reports are resources testdriver://runs/{id}/report.html|.json|.junit.xml.",
    },
  );
  const ready: Promise<McpContext> = Promise.resolve(shared).then((s) => ({
    ...s,
    role: options.role,
    seen: new Map(),
    secrets: new Map(),
    host: hostModelOf(server.server),
  }));
  // A failed open is reported by each call that needs the store, not as an unhandled rejection.
  ready.catch(() => {});
  const tools = toolsOf(options.tools ?? "core");
  for (const tool of tools) registerTool(server, ready, options.role, tool as never);
  serveToolList(server, tools as never, options.role);
  registerResources(server, ready);
  registerPrompts(server);
  // New runs are new resources.
  let off: (() => void) | undefined;
  let closed = false;
  ready.then(
    (ctx) => {
      if (closed) return;
      off = ctx.engine.onProgress((event) => {
        if (event.kind === "run_started" && server.isConnected()) server.sendResourceListChanged();
      });
    },
    () => {},
  );
  return {
    server,
    close: () => {
      closed = true;
      off?.();
    },
  };
}
