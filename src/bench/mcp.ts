import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { connectStdio, playwrightMcpCli } from "./mcp-race/agents.js";
import { race } from "./mcp-race/race.js";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * What a client meets first, from spawning the server to the `initialize` answer (median of 5 starts, on a
 * fresh data folder for TestDriver; Playwright MCP beside it), and TestDriver's tool list in tokens (text ÷ 4)
 * for the default and full profiles.
 */
async function startup(chromium: string) {
  const bin = fileURLToPath(new URL("../../bin/testdriver.js", import.meta.url));
  const ours: number[] = [];
  const peer: number[] = [];
  const firstTool: number[] = [];
  const tokens: Record<string, number> = {};
  for (let i = 0; i < 5; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), "td-bench-mcp-"));
    const profile = i === 0 ? "all" : "core";
    let started = performance.now();
    const client = await connectStdio(process.execPath, [bin, "mcp", "--tools", profile], {
      TESTDRIVER_DATA_DIR: dataDir,
      TESTDRIVER_LOG_LEVEL: "silent",
      TESTDRIVER_CHROMIUM_PATH: chromium,
    });
    ours.push(performance.now() - started);
    tokens[profile] ??= Math.ceil(JSON.stringify((await client.listTools()).tools).length / 4);
    // The first tool waits for the store: on an empty folder, its creation and every migration.
    await client.callTool({ name: "list_tests", arguments: {} });
    firstTool.push(performance.now() - started);
    await client.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (!playwrightMcpInstalled()) continue;
    started = performance.now();
    const pw = await connectStdio(process.execPath, [playwrightMcpCli(), "--headless", "--isolated"], {});
    peer.push(performance.now() - started);
    await pw.close();
  }
  return {
    bench: "mcp",
    startup: true,
    handshake_ms_median: Math.round(median(ours)),
    handshake_ms: ours.map(Math.round),
    playwright_mcp_handshake_ms_median: peer.length ? Math.round(median(peer)) : undefined,
    first_tool_ms_on_empty_data_folder_median: Math.round(median(firstTool)),
    handshake_goal: median(ours) < 1000 ? "met (< 1 s)" : `missed: ${Math.round(median(ours))} ms vs 1000 ms`,
    tools_list_tokens_core: tokens.core,
    tools_list_tokens_all: tokens.all,
  };
}

/** Whether @playwright/mcp is installed (a devDependency the bench races against). */
function playwrightMcpInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve("@playwright/mcp/package.json");
    return true;
  } catch {
    return false;
  }
}

/**
 * The MCP race on real applications (TodoMVC's React implementation, Swagger UI 5 on a form): the same flows
 * with the same checks through TestDriver and through Playwright MCP driven two ways, each flow from a fresh
 * server start, `rounds` times (median). Printed per flow: calls, wall time, tokens read, tools/list tokens,
 * and TestDriver's ratios against both Playwright ways with the goals.
 */
export async function benchMcp(options: { executablePath: string; rounds?: number }) {
  const lines: Record<string, unknown>[] = [await startup(options.executablePath)];
  if (!playwrightMcpInstalled()) {
    lines.push({ bench: "mcp", skipped: "the race needs @playwright/mcp, which is not installed" });
    return lines;
  }
  lines.push(...(await race(options.executablePath, options.rounds ?? 5)));
  return lines;
}
