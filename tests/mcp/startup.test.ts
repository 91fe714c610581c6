import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { type McpConnection, overStdio, stdioEnv, textOf } from "../support/mcp-clients.js";

const open: McpConnection[] = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((c) => c.close()));
});
async function connect(...args: Parameters<typeof overStdio>) {
  const conn = await overStdio(...args);
  open.push(conn);
  return conn;
}

describe("testdriver mcp over stdio, as a client starts it", () => {
  it("answers the handshake without its store: a store held by another process is each tool's error, with the reason", async () => {
    const env = stdioEnv();
    const first = await connect({ env });
    const listed = (await first.client.callTool({ name: "list_tests", arguments: {} })) as CallToolResult;
    expect(listed.isError, textOf(listed)).toBeFalsy();

    // The second server cannot open the embedded store the first one holds, yet it initializes and lists tools.
    const second = await connect({ env });
    const { tools } = await second.client.listTools();
    expect(tools.map((t) => t.name)).toContain("start_test");
    const refused = (await second.client.callTool({ name: "list_tests", arguments: {} })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/could not open its store.*embedded database is in use by process \d+/s);
    // The connection stays usable: the refusal is a result, not a closed connection.
    const again = (await second.client.callTool({
      name: "get_report",
      arguments: { run_id: "x" },
    })) as CallToolResult;
    expect(again.isError).toBe(true);
  }, 120_000);

  it("works from any directory with an absolute path and TESTDRIVER_DATA_DIR, leaving nothing where the client started", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "td-client-cwd-"));
    const env = stdioEnv();
    const conn = await connect({ env, cwd: elsewhere });
    const listed = (await conn.client.callTool({ name: "list_tests", arguments: {} })) as CallToolResult;
    expect(listed.isError, textOf(listed)).toBeFalsy();
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(existsSync(join(env.TESTDRIVER_DATA_DIR!, "pgdata"))).toBe(true);
  }, 120_000);
});
